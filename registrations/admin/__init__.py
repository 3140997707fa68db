"""The back office, one module per sub-domain; importing them registers their admin classes."""

from registrations.admin import (  # noqa: F401
    audit,
    backoffice,
    bulk,
    invitations,
    meetings,
    outbox,
    programme,
    registrations,
    schedule,
)
