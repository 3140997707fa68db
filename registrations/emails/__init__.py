"""Emails to attendees, one module per sub-domain."""
