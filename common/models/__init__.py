"""The platform's own records: audit trail, outbox, rate-limit counters."""

from common.models.audit import AuditLog
from common.models.outbox import OutgoingEmail
from common.models.ratelimit import RateLimitCounter

__all__ = ["AuditLog", "OutgoingEmail", "RateLimitCounter"]
