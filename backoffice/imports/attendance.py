"""Attendance from the online platform's own report (Zoom, Teams…), as CSV or XLSX: who joined
which session, marked by staff.

Matched on the registration (by email, within the edition) and the session (slug or title), so
importing the same report again changes nothing; a row the join link wrote stays the link's,
with the earlier first join kept. Writes go through `mark_attendance`, which records each in the
registration's History.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, widgets

from common.choices import AuditActor
from forum.imports import EditionForeignKeyWidget, EditionImportResource
from forum.models import Edition, Session
from registrations.choices import RegistrationStatus
from registrations.models import Attendance, Registration
from registrations.services.attendance import mark_attendance

# How platforms write a time in their reports. # machine format
JOINED_FORMATS = (
    "%Y-%m-%d %H:%M:%S",  # machine format
    "%Y-%m-%d %H:%M",  # machine format
    "%Y-%m-%dT%H:%M:%S",  # machine format
    "%Y-%m-%dT%H:%M",  # machine format
    "%m/%d/%Y %I:%M:%S %p",  # machine format (Zoom's report)
    "%m/%d/%Y %H:%M:%S",  # machine format
    "%m/%d/%Y %H:%M",  # machine format
)


class RegistrationByEmailWidget(widgets.ForeignKeyWidget):
    """The confirmed registration of the edition with this email (any case)."""

    def __init__(self, **kwargs):
        super().__init__(Registration, field="email", **kwargs)

    def clean(self, value, row=None, **kwargs):
        email = str(value or "").strip()
        if not email:
            raise ValueError(_("This column needs a value."))
        registration = Registration.objects.filter(
            edition_id=(row or {}).get("edition"), email__iexact=email
        ).first()
        if registration is None:
            raise ValueError(_("Nobody registered with “%(email)s” here.") % {"email": email})
        if registration.status != RegistrationStatus.CONFIRMED:
            raise ValueError(
                _("The registration of “%(email)s” is not confirmed (%(status)s).")
                % {"email": email, "status": registration.get_status_display()}
            )
        return registration

    def render(self, value, obj=None, **kwargs):
        return value.email if value else ""


class JoinedWidget(widgets.Widget):
    """When the person joined: a spreadsheet's date-time or text in one of the reports'
    formats, read in the forum's zone unless it names one; empty: the session's start."""

    def __init__(self, zone_of, **kwargs):
        self.zone_of = zone_of  # the row's edition's zone
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        moment = value if isinstance(value, dt.datetime) else _parse(str(value).strip())
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=self.zone_of(row))
        return moment

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""  # machine format


def _parse(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for pattern in JOINED_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise ValueError(
        _("“%(value)s” is not a date and time such as 2030-01-21 10:05.") % {"value": text}
    )


def _edition_zone(row):
    edition = Edition.objects.filter(pk=(row or {}).get("edition")).first()
    return edition.tzinfo if edition else dt.UTC


class AttendanceResource(EditionImportResource):
    # The edition only scopes the lookups: an attendance belongs to it through its session.
    edition = fields.Field(column_name="edition")
    registration = fields.Field(
        attribute="registration", column_name="Email", widget=RegistrationByEmailWidget()
    )
    session = fields.Field(
        attribute="session",
        column_name="Session",
        widget=EditionForeignKeyWidget(Session, by_name="title", required=True),
    )
    first_joined_at = fields.Field(
        attribute="first_joined_at", column_name="Joined", widget=JoinedWidget(_edition_zone)
    )
    joins = fields.Field(
        attribute="joins", column_name="Times joined", widget=widgets.IntegerWidget()
    )

    class Meta:
        model = Attendance
        fields = ("edition", "registration", "session", "first_joined_at", "joins")
        import_id_fields = ("registration", "session")
        skip_unchanged = True
        report_skipped = True
        store_row_values = True  # the preview shows each row as read (forum/import_preview.py)
        use_transactions = True
        skip_html_diff = True  # a coloured diff would need inline styles (content security policy)

    @classmethod
    def get_display_name(cls):
        return _("Attendance from the platform's report")

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None  # an unknown email or session: its cell says why (import_field)

    def import_row(self, row, instance_loader, **kwargs):
        for column in ("Joined", "Times joined"):
            row.setdefault(column, "")
        return super().import_row(row, instance_loader, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        first, joins = (instance.first_joined_at, instance.joins) if instance.pk else (None, None)
        super().import_instance(instance, row, **kwargs)
        if instance.first_joined_at is None:
            instance.first_joined_at = first or instance.session.starts_at
        elif first is not None:
            # A row already there keeps its earlier first join and its count (the link's).
            instance.first_joined_at = min(first, instance.first_joined_at)
        if joins is not None:
            instance.joins = joins
        elif not instance.joins or instance.joins < 1:
            instance.joins = 1

    def save_instance(self, instance, is_create, row, **kwargs):
        mark_attendance(
            registration=instance.registration,
            session=instance.session,
            joined_at=instance.first_joined_at,
            joins=instance.joins or 1,
            actor=kwargs.get("user") or AuditActor.STAFF,
        )
