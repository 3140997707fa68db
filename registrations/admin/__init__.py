"""The attendee side's admin pages; importing them registers their admin classes."""

from registrations.admin import consents, online, programme, registrations, survey  # noqa: F401
