"""The error every service raises for something a user can't do: a readable message and a code.

Each app raises its own subclass (`RegistrationError`, `MeetingError`); the shared database
helpers (common/db.py) raise the base class for "please try again", so a view catches `ForumError`
and shows any of them the same way.
"""


class ForumError(Exception):
    """An action that can't be done, with a message the user can read and a code for tests.

    `choices` carries what is still possible when a race was lost, e.g. the slots still free
    for both people after "that slot was just taken".
    """

    def __init__(self, message, code: str, choices=()):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.choices = list(choices)
