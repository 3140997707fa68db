"""App configuration for the attendee side: registrations, consents and business meetings."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations and meetings")

    def ready(self) -> None:
        # Every kind of email has its builder registered before the outbox sends anything.
        import registrations.emails  # noqa: F401
        import registrations.services.editions  # noqa: F401 — its step of starting an edition
        from forum.pagecache import watch_for_content_changes
        from registrations.models import ConsentText

        # The registration form shows the consent texts: a new version rebuilds the page.
        watch_for_content_changes([ConsentText])
        from registrations.roles import sync_roles_after_migrate

        # The roles are declared in code; each migrate brings the groups back to them.
        post_migrate.connect(sync_roles_after_migrate, sender=self)
