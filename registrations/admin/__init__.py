"""The back office, one module per sub-domain; importing them registers their admin classes."""

from registrations.admin import audit, outbox, registrations  # noqa: F401
