"""Business profiles in the admin, with each profile's best matches and staff suggestions."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin.audit import AuditLogInline
from common.errors import ForumError
from forum.admin_zones import local_time
from meetings.choices import ProfileSide
from meetings.models import (
    BusinessProfile,
)
from meetings.selectors.meetings import recommendations
from meetings.services.profiles import save_business_profile
from meetings.services.requests import suggest_meetings
from meetings.services.support import listing_problem
from registrations.models.registration import both


class ProfileSideFilter(admin.SimpleListFilter):
    """The side of the sender (requests) or either participant (meetings)."""

    title = _("side")
    parameter_name = "side"
    paths = ("sender__business_profile__side", "receiver__business_profile__side")

    def lookups(self, request, model_admin):
        return ProfileSide.choices

    def queryset(self, request, queryset):
        if self.value() not in ProfileSide.values:
            return queryset
        condition = Q()
        for field in self.paths:
            condition |= Q(**{field: self.value()})
        return queryset.filter(condition)


class BusinessProfileAdminForm(forms.ModelForm):
    """Refuses, with the reason, to list someone who may not be listed (the service again)."""

    # No Meta: the admin builds the form's fields from its fieldsets.

    def clean(self):
        cleaned = super().clean()
        registration = cleaned.get("registration")
        if registration is not None and cleaned.get("listed"):
            problem = listing_problem(registration)
            if problem:
                self.add_error("listed", problem)
        return cleaned


@admin.register(BusinessProfile)
class BusinessProfileAdmin(admin.ModelAdmin):
    form = BusinessProfileAdminForm
    inlines = [AuditLogInline]
    list_display = ["organisation", "name", "side", "country", "listed", "updated"]
    list_filter = ["registration__edition", "side", "listed", "sectors"]
    search_fields = [
        "registration__name",
        "registration__name_latin",
        "registration__organisation",
        "registration__organisation_en",
        "registration__email",
        "description",
    ]
    list_select_related = ["registration__edition"]
    autocomplete_fields = ["registration"]
    filter_horizontal = ["sectors", "projects_presented", "projects_of_interest"]
    actions = ["suggest"]

    @admin.display(description=_("updated (edition's time zone)"), ordering="updated_at")
    def updated(self, obj) -> str:
        return local_time(obj.updated_at, obj.registration.edition.tzinfo)

    @admin.action(
        description=_("Suggest meetings with their mutual best matches (both must agree)"),
        permissions=["change"],
    )
    def suggest(self, request, queryset) -> None:
        profiles = list(queryset.select_related("registration__edition"))
        suggested = 0
        for edition in {profile.registration.edition for profile in profiles}:
            suggested += suggest_meetings(
                edition=edition,
                user=request.user,
                among=[p.pk for p in profiles if p.registration.edition_id == edition.pk],
            )
        if suggested:
            self.message_user(
                request,
                ngettext(
                    "%(count)d meeting suggested; both sides are asked to agree.",
                    "%(count)d meetings suggested; both sides are asked to agree.",
                    suggested,
                )
                % {"count": suggested},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("No new suggestion: these profiles have no mutual best match without a request."),
                messages.WARNING,
            )

    readonly_fields = ["created_at", "updated_at", "availability_saved_at", "recommended"]
    fieldsets = [
        (None, {"fields": ["registration", "side", "listed"]}),
        (_("Recommended counterparts"), {"fields": ["recommended"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "description",
                    "offer",
                    "seek",
                    "sectors",
                    "countries_of_interest",
                    "projects_presented",
                    "projects_of_interest",
                    "languages",
                    "website",
                ]
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at", "availability_saved_at"]}),
    ]

    @admin.display(description=_("organisation"), ordering="registration__organisation")
    def organisation(self, obj) -> str:
        return both(obj.registration.organisation, obj.registration.organisation_en)

    @admin.display(description=_("best matches, with the reasons"))
    def recommended(self, obj) -> str:
        """The matchmaker's top counterparts for this profile, as the participant sees them."""
        if obj.pk is None:
            return "—"
        found = recommendations(registration=obj.registration, top_n=10)
        if not found:
            return _("No listed counterpart matches yet.")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                '<li><a href="{}">{} — {}</a>: {}</li>',
                (
                    (
                        reverse("admin:meetings_businessprofile_change", args=[r.profile.pk]),
                        r.profile.registration.organisation or r.profile.registration.name,
                        r.profile.get_side_display(),
                        "; ".join(str(reason) for reason in r.reasons),
                    )
                    for r in found
                ),
            ),
        )

    @admin.display(description=_("name"), ordering="registration__name")
    def name(self, obj) -> str:
        return both(obj.registration.name, obj.registration.name_latin)

    @admin.display(description=_("country"))
    def country(self, obj) -> str:
        return obj.registration.country.name

    def save_model(self, request, obj, form, change) -> None:
        data = {name: value for name, value in form.cleaned_data.items() if name != "registration"}
        try:
            saved = save_business_profile(
                registration=form.cleaned_data["registration"], data=data, user=request.user
            )
        except ForumError as error:
            # Only a change between the form's check and the save gets here (a consent
            # withdrawn meanwhile): nothing was saved, and the page says so.
            self.message_user(request, error.message, messages.ERROR)
            request.profile_refused = True
            return
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        """The service has saved the profile's sectors and projects already.

        The history inline is read-only, but its formset is saved all the same (nothing to
        write), because the admin's change message reads what each formset saved.
        """
        for formset in formsets:
            if getattr(request, "profile_refused", False) or form.instance.pk is None:
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            else:
                self.save_formset(request, form, formset, change=change)

    def log_addition(self, request, obj, message):
        if obj.pk is not None:
            return super().log_addition(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if obj.pk is None:
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)
