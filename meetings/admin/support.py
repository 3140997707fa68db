"""What the meetings' admin pages share: times in the edition's zone, one action per object."""

import datetime as dt

from django.contrib import messages

from common.errors import ForumError
from common.times import shown
from forum.admin_zones import zone_name
from forum.models import Edition


def forum_time(value: dt.datetime, edition: Edition) -> str:
    """A time in the edition's zone, the zone named (KST)."""
    local = value.astimezone(edition.tzinfo)
    return f"{shown(local, 'WEEKDAY_DATETIME_FORMAT', zone=edition.tzinfo)} {zone_name(local)}"


def _each(model_admin, request, objects, call, message) -> None:
    """Calls the service for each object; says why for those it refuses, and counts the rest."""
    done = 0
    for obj in objects:
        try:
            call(obj)
        except ForumError as error:
            model_admin.message_user(request, f"{obj}: {error.message}", messages.WARNING)
        else:
            done += 1
    if done:
        model_admin.message_user(request, message(done) % {"count": done}, messages.SUCCESS)
