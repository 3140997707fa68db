"""An email backend for the tests whose mail server refuses everything, as one that is down."""

from smtplib import SMTPServerDisconnected

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class RejectingBackend(BaseEmailBackend):
    """A mail server that answers 550 for every recipient: no such mailbox, for good."""

    def send_messages(self, email_messages):
        from smtplib import SMTPRecipientsRefused

        raise SMTPRecipientsRefused(
            {
                address: (550, b"5.1.1 No such mailbox")
                for message in email_messages
                for address in message.recipients()
            }
        )


class BusyBackend(BaseEmailBackend):
    """A mail server that answers 451 (try again later): a temporary refusal."""

    def send_messages(self, email_messages):
        from smtplib import SMTPDataError

        raise SMTPDataError(451, b"4.3.0 Try again later")
