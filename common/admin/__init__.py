"""The audit trail's and the outbox's admin pages; importing them registers their admin classes."""

from common.admin import audit, outbox  # noqa: F401
