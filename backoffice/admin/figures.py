"""The dashboard's figures of an edition: each a table (also its CSV) and a bar chart, labelled
in the active language. Counts only, no personal data."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_countries import countries

from backoffice.exports.base import csv_text, local_time
from backoffice.selectors import dashboard
from forum.models import Edition
from meetings.choices import RequestStatus
from registrations.choices import ParticipantCategory, RegistrationStatus, SurveyQuestionKind

BAR_WIDTH = 320  # the longest bar of a chart, in SVG units
BAR_HEIGHT = 18


@dataclass
class Bar:
    label: str
    value: int
    width: int
    y: int
    second: int = 0  # a second value drawn after the first (people waiting)
    second_width: int = 0
    note: str = ""


@dataclass
class Figure:
    """One figure of the dashboard: a table (also the CSV) and its bar chart."""

    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    bars: list[Bar] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)

    @property
    def chart_height(self) -> int:
        return max(len(self.bars), 1) * (BAR_HEIGHT + 6)

    @property
    def total(self) -> int:
        return sum(bar.value for bar in self.bars)


def _bars(pairs: list[tuple[str, int]], seconds: list[int] | None = None) -> list[Bar]:
    seconds = seconds or [0] * len(pairs)
    largest = max(
        [value + extra for (_label, value), extra in zip(pairs, seconds, strict=True)] + [1]
    )
    bars = []
    for index, ((label, value), extra) in enumerate(zip(pairs, seconds, strict=True)):
        bars.append(
            Bar(
                label=label,
                value=value,
                width=round(BAR_WIDTH * value / largest),
                y=index * (BAR_HEIGHT + 6),
                second=extra,
                second_width=round(BAR_WIDTH * extra / largest),
            )
        )
    return bars


def _count_figure(slug, title, heading, pairs: list[tuple[str, int]], column=None) -> Figure:
    return Figure(
        slug=slug,
        title=title,
        headers=[heading, column or _("Registrations")],
        rows=[[label, value] for label, value in pairs],
        bars=_bars(pairs),
    )


def dashboard_figures(edition: Edition) -> dict[str, Figure]:
    """Every figure of an edition, labelled in the active language."""
    status_names = {code: str(label) for code, label in RegistrationStatus.choices}
    category_names = {code: str(label) for code, label in ParticipantCategory.choices}
    country_names = dict(countries)
    by_status = [
        (status_names.get(code, code), count)
        for code, count in dashboard.registrations_by(edition=edition, field="status")
    ]
    by_category = [
        (category_names.get(code, code), count)
        for code, count in dashboard.active_registrations_by(edition=edition, field="category")
    ]
    by_country = [
        (str(country_names.get(code, code)), count)
        for code, count in dashboard.active_registrations_by(edition=edition, field="country")
    ]
    figures = [
        _count_figure("status", _("Registrations by status"), _("Status"), by_status),
        _count_figure(
            "category",
            _("Participants by category (active registrations)"),
            _("Participant category"),
            by_category,
        ),
        _count_figure(
            "country", _("Participants by country (active registrations)"), _("Country"), by_country
        ),
        _sessions_figure(edition),
    ]
    figures.extend(attendance_figures(edition, category_names, country_names))
    figures.extend(meeting_figures(edition))
    figures.extend(survey_figures(edition))
    return {figure.slug: figure for figure in figures}


def _sessions_figure(edition: Edition) -> Figure:
    """Seats taken and people waiting per session; bars: taken, then waiting."""
    sessions = dashboard.session_seats(edition=edition)
    zone = edition.tzinfo
    session_rows = [
        [
            session.display_title,
            # The exports' spreadsheet format (the figure is also a CSV download), as in the lists.
            csv_text(local_time(zone)(session.starts_at)),
            session.capacity if session.capacity is not None else "",
            session.booked,
            session.waiting,
        ]
        for session in sessions
    ]
    session_bars = _bars(
        [(session.display_title, session.booked) for session in sessions],
        [session.waiting for session in sessions],
    )
    for bar, session in zip(session_bars, sessions, strict=True):
        bar.note = (
            _("%(booked)d of %(capacity)d seats, %(waiting)d waiting")
            % {"booked": session.booked, "capacity": session.capacity, "waiting": session.waiting}
            if session.capacity is not None
            else _("%(booked)d booked, no seat limit") % {"booked": session.booked}
        )
    return Figure(
        slug="sessions",
        title=_("Seats taken and waiting per session"),
        headers=[
            _("Session"),
            _("Starts (%(zone)s)") % {"zone": edition.time_zone},
            _("Capacity"),
            _("Seats taken"),
            _("Waiting"),
        ],
        rows=session_rows,
        bars=session_bars,
        legend=[_("Seats taken"), _("Waiting")],
    )


def attendance_figures(edition: Edition, category_names, country_names) -> list[Figure]:
    """The online forum: registered, confirmed and attended per session; attended by category
    and country beside the confirmed. Bars: attended, then confirmed who did not attend."""
    sessions = dashboard.session_attendance(edition=edition)
    legend = [_("Attended"), _("Confirmed, did not attend")]
    session_bars = _bars(
        [(session.display_title, session.attended) for session in sessions],
        [max(session.confirmed - session.attended, 0) for session in sessions],
    )
    for bar, session in zip(session_bars, sessions, strict=True):
        bar.note = _("%(attended)d attended of %(confirmed)d confirmed") % {
            "attended": session.attended,
            "confirmed": session.confirmed,
        }
    figures = [
        Figure(
            slug="attendance",
            title=_("Attendance per session"),
            headers=[_("Session"), _("Registered"), _("Confirmed"), _("Attended")],
            rows=[
                [session.display_title, session.registered, session.confirmed, session.attended]
                for session in sessions
            ],
            bars=session_bars,
            legend=legend,
        )
    ]
    for slug, title, heading, field_name, names in (
        (
            "attendance-category",
            _("Attendance by participant category"),
            _("Participant category"),
            "category",
            category_names,
        ),
        ("attendance-country", _("Attendance by country"), _("Country"), "country", country_names),
    ):
        rows = [
            (str(names.get(code, code)), confirmed, attended)
            for code, confirmed, attended in dashboard.attendance_by(
                edition=edition, field=field_name
            )
        ]
        figures.append(
            Figure(
                slug=slug,
                title=title,
                headers=[heading, _("Confirmed"), _("Attended")],
                rows=[list(row) for row in rows],
                bars=_bars(
                    [(label, attended) for label, _confirmed, attended in rows],
                    [max(confirmed - attended, 0) for _label, confirmed, attended in rows],
                ),
                legend=legend,
            )
        )
    figures.extend(_ratings_figure(edition))
    return figures


def _ratings_figure(edition: Edition) -> list[Figure]:
    """How many rated each session and the average, once anyone has rated."""
    rated = dashboard.session_ratings(edition=edition)
    if not rated:
        return []
    figure = Figure(
        slug="ratings",
        title=_("Ratings per session (1 to 5)"),
        headers=[_("Session"), _("Ratings"), _("Average rating")],
        rows=[
            [session.display_title, session.ratings, f"{session.average:.1f}"] for session in rated
        ],
        bars=_bars([(session.display_title, session.ratings) for session in rated]),
    )
    for bar, session in zip(figure.bars, rated, strict=True):
        bar.note = _("%(count)d ratings, average %(average).1f") % {
            "count": session.ratings,
            "average": session.average,
        }
    return [figure]


def meeting_figures(edition: Edition) -> list[Figure]:
    """Requests by status, acceptance and what is left unplaced, meetings per day."""
    by_status = dict(dashboard.meeting_requests_by_status(edition=edition))
    if not by_status:
        return []
    names = {code: str(label) for code, label in RequestStatus.choices}
    requests = [(names.get(code, code), count) for code, count in by_status.items()]
    accepted = by_status.get(RequestStatus.ACCEPTED, 0) + by_status.get(RequestStatus.BOOKED, 0)
    declined = by_status.get(RequestStatus.DECLINED, 0)
    answered = accepted + declined
    rate = f"{100 * accepted / answered:.0f} %" if answered else "—"
    unplaced = by_status.get(RequestStatus.ACCEPTED, 0)
    acceptance = [
        (_("Accepted"), accepted),
        (_("Declined"), declined),
        (_("Accepted but not placed in a slot yet"), unplaced),
    ]
    per_day = [
        (day.isoformat(), count) for day, count in dashboard.meetings_per_day(edition=edition)
    ]
    return [
        _count_figure(
            "meeting-requests",
            _("Meeting requests by status"),
            _("Status"),
            requests,
            column=_("Requests"),
        ),
        Figure(
            slug="acceptance",
            title=_("Acceptance rate: %(rate)s of answered requests accepted") % {"rate": rate},
            headers=[_("Requests"), _("Number")],
            rows=[[label, value] for label, value in acceptance] + [[_("Acceptance rate"), rate]],
            bars=_bars(acceptance),
        ),
        _count_figure(
            "meetings-per-day",
            _("Meetings per day (%(zone)s)") % {"zone": edition.time_zone},
            _("Day"),
            per_day,
            column=_("Meetings"),
        ),
    ]


def survey_figures(edition: Edition) -> list[Figure]:
    results = dashboard.survey_results(edition=edition)
    if not results:
        return []
    language = get_language()
    summary = []
    figures = []
    for number, result in enumerate(results, start=1):
        question = result["question"]
        text = question.text_in(language)
        average = (
            f"{question.average:.1f}"
            if question.kind == SurveyQuestionKind.RATING and question.average is not None
            else ""
        )
        summary.append([text, question.get_kind_display(), question.answered, average])
        if question.kind == SurveyQuestionKind.CHOICE:
            pairs = [
                (label, result["chosen"].get(index, 0))
                for index, label in enumerate(question.choice_list(language))
            ]
            figures.append(
                Figure(
                    slug=f"survey-{number}",
                    title=_("Survey: %(question)s") % {"question": text},
                    headers=[_("Choice"), _("Answers")],
                    rows=[[label, count] for label, count in pairs],
                    bars=_bars(pairs),
                )
            )
    figures.insert(
        0,
        Figure(
            slug="survey",
            title=_("After-forum survey"),
            headers=[_("Question"), _("Answer"), _("Answers"), _("Average rating")],
            rows=summary,
            bars=_bars([(row[0], row[2]) for row in summary]),
        ),
    )
    return figures
