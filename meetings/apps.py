"""App configuration for the 1:1 business meetings and their scheduler."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Business meetings")

    def ready(self) -> None:
        # Every kind of email has its builder registered before the outbox sends anything.
        import meetings.emails.meetings  # noqa: F401
        import meetings.services.editions  # noqa: F401 — its step of starting an edition
        from meetings.services.participation import end_participation_of
        from registrations.signals import meeting_participation_ended

        # Someone leaves the meetings on the registration side: their profile, requests and
        # meetings end in the same transaction.
        meeting_participation_ended.connect(end_participation_of, dispatch_uid="meetings")
