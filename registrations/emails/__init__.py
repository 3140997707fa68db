"""Emails to attendees, one module per sub-domain; importing them registers their builders."""

from registrations.emails import registrations  # noqa: F401
