"""The business meetings' admin pages; importing them registers their admin classes."""

from meetings.admin import meetings, schedule  # noqa: F401
