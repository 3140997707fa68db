"""The moments of the programme other apps answer, sent inside the transaction that causes them."""

from django.dispatch import Signal

# Sent by `forum.editions.start_next_edition` with `source` and `edition` once the programme is
# copied: each app copies its own set-up (consent texts, registration and meeting settings).
edition_started = Signal()
