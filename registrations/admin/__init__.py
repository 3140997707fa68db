"""The back office, one module per sub-domain; importing them registers their admin classes."""

from registrations.admin import registrations  # noqa: F401
