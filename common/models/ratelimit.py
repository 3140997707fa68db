"""Rate-limit counters shared by every app process."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """Hits per key and time window, counted by one atomic upsert shared by every app process."""

    # Unique by a constraint rather than `unique=True`, which on PostgreSQL also builds a
    # second index for LIKE lookups that nothing makes: every hit would write both.
    key = models.CharField(max_length=120)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        # Moved from the registrations app with its table (docs/architecture.md).
        db_table = "registrations_ratelimitcounter"
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        constraints = [models.UniqueConstraint(fields=["key"], name="ratelimitcounter_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
