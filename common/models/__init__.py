"""The platform's own records: audit trail, outbox, rate-limit counters, task workers."""

from common.models.audit import AuditLog
from common.models.outbox import OutgoingEmail
from common.models.ratelimit import RateLimitCounter
from common.models.workers import TaskWorker

__all__ = ["AuditLog", "OutgoingEmail", "RateLimitCounter", "TaskWorker"]
