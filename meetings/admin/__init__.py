"""The business meetings' admin pages; importing them registers their admin classes."""

from meetings.admin import bookings, profiles, requests, schedule, slots  # noqa: F401
