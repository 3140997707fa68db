"""What a new edition takes over from the one it starts from: the business-meeting settings."""

from forum.editions import copy_fields
from forum.models import Edition
from meetings.models import MeetingSettings


def copy_meeting_settings(sender, *, source: Edition, edition: Edition, **kwargs) -> None:
    """The business-meeting settings, their window moved with the edition's dates."""
    settings = MeetingSettings.objects.filter(edition=source).first()
    if settings is None:
        return
    days = edition.start_date - source.start_date
    MeetingSettings.objects.create(
        **copy_fields(
            settings,
            edition_id=edition.pk,
            window_start=settings.window_start + days,
            window_end=settings.window_end + days,
        )
    )
