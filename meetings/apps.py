"""App configuration for the 1:1 business meetings and their scheduler."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


# The receivers import what they call when a signal first comes: the participation services and
# the recommendation selectors (with the outbox, the email kinds and the matcher behind them)
# are not needed to start a command that sends no such signal (docs/performance.md).
def end_participation(sender, **kwargs) -> None:
    from meetings.services.participation import end_participation_of

    end_participation_of(sender, **kwargs)


def profiles_changed(**kwargs) -> None:
    from meetings.selectors.recommendations import mark_profiles_changed

    mark_profiles_changed(**kwargs)


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Business meetings")
    # The audit trail's codes for meetings, "<kind of object>.<action>", labels shown in the admin.
    audit_actions = {
        "profile.created": _("Business profile created"),
        "profile.changed": _("Business profile changed"),
        "profile.calendar_link_renewed": _("Calendar feed address renewed"),
        "profile.unlisted": _("Business profile unlisted"),
        "meeting_settings.slots_generated": _("Meeting slots generated"),
        "meeting_slot.rooms_changed": _("Rooms of a meeting slot changed"),
        "availability.changed": _("Availability changed"),
        "meeting_request.requested": _("Meeting request sent"),
        "meeting_request.suggested": _("Meeting suggested by the organisers"),
        "meeting_request.agreed": _("Suggested meeting agreed to by one side"),
        "meeting_request.reviewed": _("Meeting request reviewed by staff"),
        "meeting_request.accepted": _("Meeting request accepted"),
        "meeting_request.declined": _("Meeting request declined"),
        "meeting_request.withdrawn": _("Meeting request withdrawn"),
        "meeting_request.cancelled": _("Meeting request cancelled"),
        "meeting.booked": _("Meeting booked"),
        "meeting.moved": _("Meeting moved"),
        "meeting.cancelled": _("Meeting cancelled"),
        "meeting.video_link_changed": _("Meeting video link changed"),
        "meeting.reminded": _("Meeting reminder sent"),
        "meeting.outcome_recorded": _("Meeting outcome recorded"),
        "schedule_run.started": _("Scheduler started"),
        "schedule_run.discarded": _("Draft schedule discarded"),
        "schedule_run.published": _("Schedule published"),
    }

    # Its kinds of email (common/emails.py reads them once every app is loaded).
    email_kinds = "meetings.emails.meetings.KINDS"

    def ready(self) -> None:
        from forum.signals import edition_started
        from meetings.services.editions import copy_meeting_settings
        from registrations.signals import meeting_participation_ended

        # Someone leaves the meetings on the registration side: their profile, requests and
        # meetings end in the same transaction.
        meeting_participation_ended.connect(end_participation, dispatch_uid="meetings")
        # Its part of starting the next edition: the meeting settings, moved with the dates.
        edition_started.connect(copy_meeting_settings, dispatch_uid="meetings")
        self.watch_profile_changes()

    def watch_profile_changes(self) -> None:
        """Every change a recommendation depends on gives the profiles a new version token, so
        each process reads the candidates again (signals: admin, forms, commands alike)."""
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from forum.models import Project, Sector
        from meetings.models import BusinessProfile

        for model in (BusinessProfile, Project, Sector):
            uid = f"meetings.profiles_changed.{model._meta.label_lower}"
            post_save.connect(profiles_changed, sender=model, dispatch_uid=f"{uid}.save")
            post_delete.connect(profiles_changed, sender=model, dispatch_uid=f"{uid}.delete")
        for name in ("sectors", "projects_presented", "projects_of_interest"):
            m2m_changed.connect(
                profiles_changed,
                sender=getattr(BusinessProfile, name).through,
                dispatch_uid=f"meetings.profiles_changed.{name}",
            )
