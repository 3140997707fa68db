"""The errors the registrations services raise: a message the user can read and a code."""


class RegistrationError(Exception):
    """A registration action that can't be done, with a message the user can read."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


class MeetingError(Exception):
    """A business-meeting action that can't be done, with a message the user can read.

    `choices` carries what is still possible when a race was lost, e.g. the slots still free
    for both people after "that slot was just taken".
    """

    def __init__(self, message, code: str, choices=()):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.choices = list(choices)
