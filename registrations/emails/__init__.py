"""Emails to attendees, one module per sub-domain; importing them registers their builders."""

from registrations.emails import bulk, registrations  # noqa: F401
