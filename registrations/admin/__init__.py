"""The back office, one module per sub-domain; importing them registers their admin classes."""

from registrations.admin import audit, backoffice, invitations, outbox, registrations  # noqa: F401
