"""Back office for the programme: editions, sessions with their speakers and projects, and lists."""

from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from forum.admin_zones import EditionZoneAdmin, SessionZoneAdmin, local_time
from forum.editions import make_edition_current, start_next_edition, suggested_first_day
from forum.forms import NextEditionForm
from forum.imports import EditionImportMixin, ProjectResource
from forum.models import (
    ContactPerson,
    Edition,
    EditionOrganisation,
    Organisation,
    Project,
    Sector,
    Session,
    SessionMaterial,
    SessionRecording,
    SessionSpeaker,
    SessionStream,
    Speaker,
    StrategicArea,
)

admin.site.site_header = _("ASEAN Connectivity Forum — back office")
admin.site.site_title = _("Connectivity Forum admin")
admin.site.index_title = _("Daily work")

# Translated fields (forum/translation.py) show their English and Korean inputs one below the
# other, "[en]" and "[ko]" after the label; English is required where the field was.


class EditionOrganisationInline(admin.TabularInline):
    model = EditionOrganisation
    extra = 0
    autocomplete_fields = ["organisation"]


class ContactPersonInline(TranslationTabularInline):
    model = ContactPerson
    extra = 0


def next_steps_message(edition: Edition):
    """What is left to do once an edition is copied, each step linked to where it is done."""
    settings_url = reverse("admin:meetings_meetingsettings_changelist")
    editions_url = reverse("admin:forum_edition_changelist")
    sessions_url = reverse("admin:forum_session_changelist")
    return format_html(
        '{} <a href="{}?edition__id__exact={}">{}</a>; <a href="{}?edition__id__exact={}">{}</a>; '
        '<a href="{}?id__exact={}">{}</a>.',
        _("Left to do:"),
        settings_url,
        edition.pk,
        _("generate the meeting slots (tick its meeting settings, then “Generate the slots”)"),
        sessions_url,
        edition.pk,
        _("add the speakers to its sessions"),
        editions_url,
        edition.pk,
        _("make it current (tick it, then “Make current (shown on the home page)”)"),
    )


@admin.register(Edition)
class EditionAdmin(EditionZoneAdmin, TranslationAdmin):
    list_display = [
        "number",
        "title",
        "start_date",
        "end_date",
        "format",
        "is_current",
        "registration_closes_local",
        "session_count",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["format", "is_current"]
    search_fields = ["title_en", "title_ko", "slug", "theme_en", "theme_ko"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["focus_areas"]
    date_hierarchy = "start_date"
    inlines = [EditionOrganisationInline, ContactPersonInline]
    fieldsets = [
        (
            None,
            {"fields": ["number", "title", "slug", "theme", "summary", "is_current"]},
        ),
        (
            _("When and where"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "time_zone",
                    "format",
                    "venue",
                    "times_are_illustrative",
                ]
            },
        ),
        (_("Focus"), {"fields": ["focus_areas"]}),
        (
            _("Registration and meetings"),
            {
                "fields": [
                    "registration_opens",
                    "registration_closes",
                    "meetings_start",
                    "meetings_end",
                    "retention_days",
                ]
            },
        ),
    ]

    actions = ["make_current", "start_next"]
    # Set with the "Make current" action, which switches the current edition in one step;
    # a tick box here would meet the one-current-edition constraint instead.
    readonly_fields = ["is_current"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_sessions=Count("sessions"))

    def _one(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one edition."), messages.ERROR)
            return None
        return queryset.get()

    @admin.action(description=_("Make current (shown on the home page)"), permissions=["change"])
    def make_current(self, request, queryset):
        edition = self._one(request, queryset)
        if edition is None:
            return None
        previous = make_edition_current(edition=edition, user=request.user)
        if previous is None and edition.is_current:
            message = _("%(edition)s is the current edition.") % {"edition": edition}
        else:
            message = _("%(edition)s is now the current edition, instead of %(previous)s.") % {
                "edition": edition,
                "previous": previous or _("none"),
            }
        self.message_user(request, message, messages.SUCCESS)
        return None

    @admin.action(description=_("Start the next edition from this one"), permissions=["add"])
    def start_next(self, request, queryset):
        source = self._one(request, queryset)
        if source is None:
            return None
        if "apply" in request.POST:
            form = NextEditionForm(request.POST)
            if form.is_valid():
                edition = start_next_edition(source=source, user=request.user, **form.cleaned_data)
                self.message_user(
                    request,
                    _(
                        "%(edition)s is set up from %(source)s: sessions, organisers, contacts, "
                        "consent texts and settings copied; no attendees or speakers."
                    )
                    % {"edition": edition, "source": source},
                    messages.SUCCESS,
                )
                self.message_user(request, next_steps_message(edition), messages.WARNING)
                return redirect(reverse("admin:forum_edition_change", args=[edition.pk]))
        else:
            start = suggested_first_day(source)
            form = NextEditionForm(
                initial={
                    "number": source.number + 1,
                    "title": source.title.replace(f"{source.number}th", f"{source.number + 1}th"),
                    "slug": f"{source.number + 1}th-acf-{start.year}",
                    "start_date": start,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Start the next edition from %(source)s") % {"source": source},
            "opts": self.model._meta,
            "source": source,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/forum/edition/start_next.html", context)

    @admin.display(description=_("sessions"), ordering="num_sessions")
    def session_count(self, obj) -> int:
        return obj.num_sessions

    @admin.display(description=_("registration closes"), ordering="registration_closes")
    def registration_closes_local(self, obj) -> str:
        return local_time(obj.registration_closes, obj.tzinfo)


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 0
    autocomplete_fields = ["speaker"]


class SessionStreamInline(admin.TabularInline):
    """The session's online channels; attendees reach them only through their join links."""

    model = SessionStream
    extra = 0
    fields = ["language", "url", "passcode"]


class SessionMaterialInline(admin.TabularInline):
    """Slides and documents (PDF, PPTX, XLSX), public on the session page from a time; each
    of the session or of one speaker's presentation in it."""

    model = SessionMaterial
    extra = 0
    fields = ["title", "presentation", "file", "language", "public_from"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "presentation":
            # Only this session's speakers (none yet on a new session).
            session_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = SessionSpeaker.objects.filter(
                session_id=session_id if str(session_id or "").isdigit() else None
            ).select_related("speaker")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SessionRecordingInline(admin.TabularInline):
    model = SessionRecording
    extra = 0
    fields = ["language", "url", "public_from"]


class ProjectInline(TranslationStackedInline):
    model = Project
    extra = 0
    fk_name = "session"
    autocomplete_fields = ["sector"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title",
        "slug",
        ("country", "sector"),
        "implementing_agency",
        ("estimated_cost_usd", "financing_mode", "stage"),
        "summary",
        "is_sample",
        "edition",
    ]


@admin.register(Session)
class SessionAdmin(SessionZoneAdmin, TranslationAdmin):
    list_display = ["title", "edition", "kind", "starts_local", "ends_local", "room", "capacity"]
    list_filter = ["edition", "kind", "sectors", "room"]
    list_select_related = ["edition"]
    search_fields = [
        "title_en",
        "title_ko",
        "description_en",
        "description_ko",
        "appearances__speaker__name_en",
        "appearances__speaker__name_ko",
    ]
    date_hierarchy = "starts_at"
    ordering = ["edition", "starts_at"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["edition", "sectors", "strategic_areas"]
    inlines = [
        SessionSpeakerInline,
        SessionStreamInline,
        SessionMaterialInline,
        SessionRecordingInline,
        ProjectInline,
    ]
    fieldsets = [
        (None, {"fields": ["edition", "title", "slug", "kind", "description"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "room", "capacity"]}),
        (_("Topics"), {"fields": ["sectors", "strategic_areas"]}),
    ]

    @admin.display(description=_("starts"), ordering="starts_at")
    def starts_local(self, obj) -> str:
        return local_time(obj.starts_at, obj.edition.tzinfo)

    @admin.display(description=_("ends"), ordering="ends_at")
    def ends_local(self, obj) -> str:
        return local_time(obj.ends_at, obj.edition.tzinfo)


@admin.register(Speaker)
class SpeakerAdmin(TranslationAdmin):
    list_display = ["name", "honorific", "position", "organisation", "country", "name_announced"]
    list_filter = ["name_announced", "organisation__kind", "country"]
    list_select_related = ["organisation"]
    search_fields = ["name_en", "name_ko", "position_en", "organisation__name_en"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation"]


@admin.register(Project)
class ProjectAdmin(EditionImportMixin, TranslationAdmin):
    resource_classes = [ProjectResource]

    list_display = [
        "title",
        "country",
        "sector",
        "stage",
        "financing_mode",
        "estimated_cost_usd",
        "session",
        "is_sample",
    ]
    list_filter = ["edition", "country", "sector", "stage", "financing_mode", "is_sample"]
    list_select_related = ["sector", "session"]
    search_fields = ["title_en", "title_ko", "summary_en", "implementing_agency_en"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["edition", "sector", "session"]


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name_en", "name_ko", "short_name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name_en", "name_ko", "short_name"]


@admin.register(Sector)
class SectorAdmin(TranslationAdmin):
    list_display = ["name_en", "name_ko", "slug"]
    search_fields = ["name_en", "name_ko"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(StrategicArea)
class StrategicAreaAdmin(TranslationAdmin):
    list_display = ["name_en", "name_ko", "order"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_ko"]
    prepopulated_fields = {"slug": ["name"]}
