"""The error the registration services raise."""

from common.errors import ForumError


class RegistrationError(ForumError):
    """A registration action that can't be done, with a message the user can read."""
