"""Emails to attendees about their registration."""
