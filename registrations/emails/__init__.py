"""Emails to attendees: about their registration (registrations.py) and the online forum
(online.py); `KINDS` lists both, named on the app's config."""

from registrations.emails.online import KINDS as ONLINE_KINDS
from registrations.emails.registrations import KINDS as REGISTRATION_KINDS

KINDS = [*REGISTRATION_KINDS, *ONLINE_KINDS]
