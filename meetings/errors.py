"""The error the business-meeting services raise."""

from common.errors import ForumError


class MeetingError(ForumError):
    """A business-meeting action that can't be done, with a message the user can read."""
