"""App configuration for the platform pieces every app uses: audit trail, outbox, rate limits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Audit trail and outbox")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deployment checks)
