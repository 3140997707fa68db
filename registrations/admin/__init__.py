"""The attendee side's admin pages; importing them registers their admin classes."""

from registrations.admin import consents, programme, registrations  # noqa: F401
