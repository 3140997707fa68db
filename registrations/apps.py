"""App configuration for the attendee side: registrations, consents, waiting lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")
    # The audit trail's codes for registrations, labels shown in the admin.
    audit_actions = {
        "registration.created": _("Registered"),
        "registration.email_confirmed": _("Email address confirmed"),
        "registration.confirmed": _("Confirmed"),
        "registration.awaiting_approval": _("Waiting for approval"),
        "registration.approved": _("Approved"),
        "registration.rejected": _("Rejected"),
        "registration.cancelled": _("Cancelled"),
        "registration.expired": _("Expired unconfirmed and deleted"),
        "registration.deleted": _("Deleted"),
        "registration.changed": _("Details changed"),
        "registration.email_change_asked": _("New email address asked for (waits for its inbox)"),
        "registration.email_changed": _("Email address changed (confirmed by its new inbox)"),
        "booking.booked": _("Seat booked"),
        "booking.waiting": _("Put on the waiting list"),
        "booking.promoted": _("Moved off the waiting list"),
        "booking.released": _("Place released"),
        "consent.given": _("Consent given"),
        "consent.withdrawn": _("Consent withdrawn"),
        "consent_text.published": _("Consent text published"),
        "settings.changed": _("Registration settings changed"),
        "session.capacity_changed": _("Capacity changed"),
        "attendance.joined": _("Joined a session online (first time)"),
        "attendance.marked": _("Attendance marked by staff"),
        "registration.reminders_changed": _("Session reminders turned on or off"),
        "edition.after_forum_sent": _("After-forum email sent"),
        "feedback.given": _("Rated a session"),
        "survey.answered": _("Answered the after-forum survey"),
    }

    # Its kinds of email (common/emails.py reads them once every app is loaded).
    email_kinds = "registrations.emails.KINDS"

    def ready(self) -> None:
        from forum.pagecache import watch_for_content_changes
        from forum.signals import edition_started
        from registrations.models import ConsentText
        from registrations.services.editions import copy_registration_setup

        # The registration form shows the consent texts: a new version rebuilds the page.
        watch_for_content_changes([ConsentText])
        # Its part of starting the next edition: the consent texts and registration settings.
        edition_started.connect(copy_registration_setup, dispatch_uid="registrations")
