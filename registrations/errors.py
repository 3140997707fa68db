"""The error every registration service raises: a message the user can read and a code."""


class RegistrationError(Exception):
    """A registration action that can't be done, with a message the user can read."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code
