"""App configuration for the attendee side: registrations, consents, waiting lists."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        # Every kind of email has its builder registered before the outbox sends anything.
        import registrations.emails.registrations  # noqa: F401
        import registrations.services.editions  # noqa: F401 — its step of starting an edition
        from forum.pagecache import watch_for_content_changes
        from registrations.models import ConsentText

        # The registration form shows the consent texts: a new version rebuilds the page.
        watch_for_content_changes([ConsentText])
