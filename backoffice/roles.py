"""The staff roles, declared here and synchronised into auth groups after every migrate.

Each role is the exact set of permissions its group holds: `sync_roles` adds what is missing and
takes away what is not declared, so a group edited by hand in the admin returns to this on the
next deploy. A sub-domain that adds models (meetings) adds their permissions here.

- Organiser: runs the forum — the programme, registration settings, consent texts (publishing a
  new version too: legal texts are the organisers'), exports of personal data, invitee imports,
  bulk emails, the wording of the emails, deleting registrations (through the services).
- Staff: works the registration lists — confirms, approves, cancels, moves people off waiting
  lists, resends emails; sees the audit trail and the consent texts. No exports of personal
  data, no settings, no new consent texts, no deleting.
- Viewer: sees the programme and the dashboard's counts, never personal data.
"""

from django.apps import apps as global_apps
from django.db.models import Q

ORGANISER, STAFF, VIEWER = "Organiser", "Staff", "Viewer"

PROGRAMME_MODELS = [
    "edition",
    "editionorganisation",
    "contactperson",
    "strategicarea",
    "sector",
    "organisation",
    "speaker",
    "session",
    "sessionspeaker",
    "project",
]


def _all(app_label: str, model: str) -> list[str]:
    return [f"{app_label}.{verb}_{model}" for verb in ("add", "change", "delete", "view")]


def _view(app_label: str, model: str) -> list[str]:
    return [f"{app_label}.view_{model}"]


_PROGRAMME_ALL = [perm for model in PROGRAMME_MODELS for perm in _all("forum", model)]
_PROGRAMME_VIEW = [perm for model in PROGRAMME_MODELS for perm in _view("forum", model)]

_WORK_THE_LISTS = [
    "registrations.view_registration",
    "registrations.change_registration",
    "registrations.view_sessionbooking",
    "registrations.change_sessionbooking",
    "registrations.view_consent",
    "registrations.view_consenttext",
    "registrations.view_registrationsettings",
    "backoffice.view_exportlog",
    "common.view_auditlog",
    "common.view_outgoingemail",
    "common.resend_outgoingemail",
    "backoffice.view_dashboard",
    # The online forum: who attended (join links write it); the streams, never public.
    "registrations.view_attendance",
    # Importing the platform's attendance report (the admin never edits a row by hand).
    "registrations.add_attendance",
    "registrations.change_attendance",
    "registrations.view_sentreminder",
    "registrations.view_sessionfeedback",
    "registrations.view_surveyquestion",
    "registrations.view_surveyresponse",
    "registrations.view_surveyanswer",
    "forum.view_sessionstream",
    "forum.view_sessionmaterial",
    "forum.view_sessionrecording",
]

# Business meetings (meetings/models/): Organisers set them up, Staff work the
# requests and meetings (actions need "change"); nobody but Organisers deletes.
MEETING_MODELS = [
    "businessprofile",
    "meetingsettings",
    "meetingslot",
    "slotunavailability",
    "meetingrequest",
    "meeting",
    "meetingseat",
]
_MEETINGS_ALL = [perm for model in MEETING_MODELS for perm in _all("meetings", model)]
_WORK_THE_MEETINGS = [
    *[perm for model in MEETING_MODELS for perm in _view("meetings", model)],
    *[
        f"meetings.change_{model}"
        for model in ("businessprofile", "meetingrequest", "meeting", "slotunavailability")
    ],
]

# The meeting scheduler (meetings/models/schedule.py): Organisers run and publish it (add =
# start a run, change = publish or discard); Staff follow the runs; nobody deletes them.
_RUN_THE_SCHEDULER = [
    "meetings.view_schedulerun",
    "meetings.add_schedulerun",
    "meetings.change_schedulerun",
]

ROLES: dict[str, list[str]] = {
    ORGANISER: [
        *_PROGRAMME_ALL,
        *_WORK_THE_LISTS,
        *_all("forum", "sessionstream"),
        *_all("forum", "sessionmaterial"),
        *_all("forum", "sessionrecording"),
        "registrations.view_respondent",  # who gave which rating, comment and survey answer
        *_all("registrations", "surveyquestion"),  # the after-forum survey's questions
        "registrations.delete_registration",
        "registrations.add_consenttext",  # publish a new version; agreed-to texts stay as they are
        "registrations.change_consenttext",  # only while nobody has agreed to it (admin)
        "registrations.add_registrationsettings",
        "registrations.change_registrationsettings",
        "backoffice.export_personal_data",
        *_all("backoffice", "exportpreset"),
        # The back office: invitee lists (imported), bulk emails (written and sent).
        *_all("registrations", "invitee"),
        *_all("backoffice", "bulkemail"),
        "backoffice.send_bulkemail",
        # The wording of each email, per edition and language (the shipped one by default).
        *_all("backoffice", "mailtemplate"),
        *_MEETINGS_ALL,
        *_RUN_THE_SCHEDULER,
    ],
    STAFF: [
        *_PROGRAMME_VIEW,
        *_WORK_THE_LISTS,
        *_WORK_THE_MEETINGS,
        "registrations.view_invitee",
        "backoffice.view_bulkemail",
        "backoffice.view_mailtemplate",
        "meetings.view_schedulerun",
    ],
    VIEWER: [*_PROGRAMME_VIEW, "backoffice.view_dashboard"],
}


def sync_roles(*, apps=global_apps, using: str = "default", **kwargs) -> None:
    """Makes each role's group hold exactly its declared permissions.

    Declared permissions whose model doesn't exist yet are left out; they arrive with the
    migrate that creates the model, which syncs again.
    """
    try:
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
    except LookupError:
        return
    for name, declared in ROLES.items():
        query = Q(pk__in=[])
        for perm in declared:
            app_label, codename = perm.split(".")
            query |= Q(content_type__app_label=app_label, codename=codename)
        permissions = Permission.objects.using(using).filter(query)
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(permissions)


def sync_roles_after_migrate(sender, app_config=None, using="default", apps=global_apps, **kwargs):
    """post_migrate receiver: runs once, after the last app's (backoffice's) permissions exist."""
    if sender.label != "backoffice":
        return
    sync_roles(apps=apps, using=using)
