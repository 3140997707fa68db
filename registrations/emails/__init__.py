"""Emails to attendees, one module per sub-domain; importing them registers their builders."""

from registrations.emails import bulk, meetings, registrations  # noqa: F401
