"""Times in the admin are entered and shown in the edition's time zone, whatever the visitor-zone
cookie of the public site (or the browser) says; the form names the zone."""

import zoneinfo

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from common.times import shown
from forum.models import Edition


def edition_zone(edition: Edition | None) -> zoneinfo.ZoneInfo:
    if edition is not None:
        return edition.tzinfo
    current = Edition.objects.filter(is_current=True).only("time_zone").first()
    field_default = Edition._meta.get_field("time_zone").default
    return zoneinfo.ZoneInfo(current.time_zone if current else field_default)


def zone_name(local) -> str:
    """The zone of a local time as staff read it: its abbreviation (KST, WIB), or the zone's
    own name where the database has only an offset for it (Asia/Yangon's "+0630")."""
    abbreviation = local.tzname() or ""
    if abbreviation[:1].isalpha():
        return abbreviation
    return getattr(local.tzinfo, "key", abbreviation)


def local_time(value, zone: zoneinfo.ZoneInfo) -> str:
    """A time for a list column: in the zone given, with the zone named."""
    if value is None:
        return "–"
    local = timezone.localtime(value, zone)
    return f"{shown(local, 'DATETIME_FORMAT', zone=zone)} {zone_name(local)}"


def zone_note() -> str:
    """Says which zone the times of a change page are in (the one active while it is drawn)."""
    return _("Times in %(zone)s, the edition's time zone.") % {
        "zone": timezone.get_current_timezone_name()
    }


class EditionTimeZoneAdmin(admin.ModelAdmin):
    """A change form whose date-times are in its edition's zone; subclasses say which edition."""

    def edition_of(self, request, obj) -> Edition | None:
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        zone = edition_zone(self.edition_of(request, obj))
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            # The page is drawn here, while the zone is active, not after the view returns.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        note = _("In %(zone)s, the edition's time zone.") % {
            "zone": timezone.get_current_timezone_name()
        }
        for field in form.base_fields.values():
            if isinstance(field, forms.SplitDateTimeField | forms.DateTimeField):
                field.help_text = f"{field.help_text} {note}".strip()
        return form


def _edition_from_request(request, name: str = "edition") -> Edition | None:
    value = request.POST.get(name) or request.GET.get(name)
    if value and str(value).isdigit():
        return Edition.objects.filter(pk=value).first()
    return None


class ObjectEditionZoneAdmin(EditionTimeZoneAdmin):
    """The change page of an object of one edition (`obj.edition`): its times in that zone, and
    the fieldsets that show read-only times say so."""

    def edition_of(self, request, obj):
        return getattr(obj, "edition", None) if obj is not None else None

    def get_fieldsets(self, request, obj=None):
        """The first fieldset with a date-time in it names the zone."""
        fieldsets = list(super().get_fieldsets(request, obj))
        for index, (name, options) in enumerate(fieldsets):
            fields = [f for row in options.get("fields", []) for f in _flat(row)]
            if any(_is_datetime(self.model, f) for f in fields) and "description" not in options:
                fieldsets[index] = (name, {**options, "description": zone_note()})
                break
        return fieldsets


def _flat(row) -> tuple:
    return tuple(row) if isinstance(row, list | tuple) else (row,)


def _is_datetime(model, name: str) -> bool:
    try:
        return isinstance(model._meta.get_field(name), models.DateTimeField)
    except FieldDoesNotExist:
        return False


class SessionZoneAdmin(EditionTimeZoneAdmin):
    def edition_of(self, request, obj):
        if obj is not None and request.method != "POST":
            return obj.edition
        # A form being saved is read in the zone of the edition it names.
        return _edition_from_request(request) or (obj.edition if obj is not None else None)


class EditionZoneAdmin(EditionTimeZoneAdmin):
    def edition_of(self, request, obj):
        zone_name = request.POST.get("time_zone")
        if zone_name in zoneinfo.available_timezones():
            return Edition(time_zone=zone_name)
        return obj
