"""The moments of a registration other apps answer, sent inside the transaction that causes them.

Registrations don't know what else a person takes part in: when someone leaves the business
meetings (registration cancelled or deleted, meetings opt-out, sharing consent withdrawn), the
registration services send `meeting_participation_ended` and the meetings app answers it
(meetings/apps.py) by unlisting the profile, closing open requests and cancelling future
meetings, in the same transaction, so both commit or neither does.
"""

from django.dispatch import Signal

# Sent with `registration`; receivers run inside the sender's transaction and may raise to undo it.
meeting_participation_ended = Signal()
