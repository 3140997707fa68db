"""Meeting schedules: per participant (a row per person per meeting) and per day (per meeting)."""

import heapq
from collections.abc import Iterator

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backoffice.exports.base import CHUNK_SIZE, ColumnSpec, ExportList, as_country, as_text
from meetings.choices import MeetingStatus
from meetings.models import Meeting


def as_day(export: ExportList):
    """The day in the forum's zone: a date cell in XLSX, `YYYY-MM-DD` in CSV."""
    zone = export.edition.tzinfo
    return lambda value: value.astimezone(zone).date() if value else ""


def as_clock(export: ExportList):
    """The time of day in the forum's zone: a time cell in XLSX, `HH:MM` in CSV."""
    zone = export.edition.tzinfo
    return lambda value: (
        value.astimezone(zone).time().replace(second=0, microsecond=0) if value else ""
    )


def scheduled_meetings(export: ExportList) -> QuerySet[Meeting]:
    return Meeting.objects.filter(edition=export.edition, status=MeetingStatus.SCHEDULED)


class MeetingsByParticipantList(ExportList):
    """Each participant's meetings in time order: a row for each side of each meeting, grouped
    by participant in the order they registered."""

    slug = "meetings-by-participant"
    title = _("Meetings by participant")
    default_columns = (
        "participant",
        "organisation",
        "day",
        "starts",
        "ends",
        "counterpart",
        "counterpart_organisation",
        "video_link",
    )

    @classmethod
    def column_specs(cls) -> dict[str, ColumnSpec]:
        return {
            "participant": ColumnSpec(_("Participant"), "me_name"),
            "participant_latin": ColumnSpec(_("Participant in Latin letters"), "me_name_latin"),
            "organisation": ColumnSpec(_("Organisation"), "me_organisation"),
            "organisation_en": ColumnSpec(_("Organisation in English"), "me_organisation_en"),
            "email": ColumnSpec(_("Email"), "me_email"),
            "country": ColumnSpec(_("Country"), "me_country", as_country, personal=False),
            "day": ColumnSpec(_("Day"), "slot__starts_at", as_day, personal=False, time=True),
            "starts": ColumnSpec(
                _("Starts"), "slot__starts_at", as_clock, personal=False, time=True
            ),
            "ends": ColumnSpec(_("Ends"), "slot__ends_at", as_clock, personal=False, time=True),
            "counterpart": ColumnSpec(_("Meets"), "other_name"),
            "counterpart_latin": ColumnSpec(_("Meets (Latin letters)"), "other_name_latin"),
            "counterpart_organisation": ColumnSpec(_("Their organisation"), "other_organisation"),
            "counterpart_organisation_en": ColumnSpec(
                _("Their organisation in English"), "other_organisation_en"
            ),
            "counterpart_country": ColumnSpec(
                _("Their country"), "other_country", as_country, personal=False
            ),
            "room": ColumnSpec(_("Room"), "room", personal=False),
            "video_link": ColumnSpec(_("Video link"), "video_link", as_text),
        }

    def side(self, me: str, other: str) -> QuerySet[Meeting]:
        """Meetings seen from `me` (sender or receiver), for the participants the filters keep."""
        return (
            scheduled_meetings(self)
            .filter(**{f"{me}__in": self.filters.registrations().values("pk")})
            .annotate(
                me_name=F(f"{me}__name"),
                me_name_latin=F(f"{me}__name_latin"),
                me_organisation=F(f"{me}__organisation"),
                me_organisation_en=F(f"{me}__organisation_en"),
                me_email=F(f"{me}__email"),
                me_country=F(f"{me}__country"),
                me_pk=F(f"{me}_id"),
                other_name=F(f"{other}__name"),
                other_name_latin=F(f"{other}__name_latin"),
                other_organisation=F(f"{other}__organisation"),
                other_organisation_en=F(f"{other}__organisation_en"),
                other_country=F(f"{other}__country"),
            )
            # By participant (their registration number), then time: integers and times sort
            # the same in the database and in Python, which the merge below relies on.
            .order_by("me_pk", "slot__starts_at", "pk")
        )

    def queryset(self, sources: list[str]) -> QuerySet:
        return self.side("sender", "receiver")

    def count(self) -> int:
        return self.side("sender", "receiver").count() + self.side("receiver", "sender").count()

    def value_rows(self, sources: list[str]) -> Iterator[tuple]:
        # Both sides stream in the same order and are merged: no list of all rows in memory.
        key_fields = ["me_pk", "slot__starts_at", "pk"]
        fields = [*sources, *key_fields]
        keyed = len(sources)
        sides = [
            self.side(me, other).values_list(*fields).iterator(CHUNK_SIZE)
            for me, other in (("sender", "receiver"), ("receiver", "sender"))
        ]
        for values in heapq.merge(*sides, key=lambda values: values[keyed:]):
            yield values[:keyed]


class MeetingsByDayList(ExportList):
    """The meetings in time order, one row per meeting: the day's plan for the organisers."""

    slug = "meetings-by-day"
    title = _("Meetings by day")
    default_columns = (
        "day",
        "starts",
        "ends",
        "room",
        "requested_by",
        "requested_by_organisation",
        "with",
        "with_organisation",
        "video_link",
    )

    @classmethod
    def column_specs(cls) -> dict[str, ColumnSpec]:
        return {
            "day": ColumnSpec(_("Day"), "slot__starts_at", as_day, personal=False, time=True),
            "starts": ColumnSpec(
                _("Starts"), "slot__starts_at", as_clock, personal=False, time=True
            ),
            "ends": ColumnSpec(_("Ends"), "slot__ends_at", as_clock, personal=False, time=True),
            "room": ColumnSpec(_("Room"), "room", personal=False),
            "requested_by": ColumnSpec(_("Requested by"), "sender__name"),
            "requested_by_organisation": ColumnSpec(
                _("Organisation of the requester"), "sender__organisation"
            ),
            "with": ColumnSpec(_("With"), "receiver__name"),
            "with_organisation": ColumnSpec(_("Organisation met"), "receiver__organisation"),
            "video_link": ColumnSpec(_("Video link"), "video_link", as_text),
        }

    def queryset(self, sources: list[str]) -> QuerySet:
        people = self.filters.registrations().values("pk")
        return (
            scheduled_meetings(self)
            .filter(Q(sender__in=people) | Q(receiver__in=people))
            .order_by("slot__starts_at", "room", "pk")
        )
