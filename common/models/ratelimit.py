"""Rate-limit counters shared by every app process."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """Hits per key and time window, counted by one atomic upsert shared by every app process."""

    key = models.CharField(max_length=120, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_ratelimitcounter"
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
