"""Meeting reads: the directory and its filters, recommendations with reasons, preloaded lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.choices import ProfileSide
from meetings.selectors import meetings as selectors
from meetings.services.requests import accept_request, request_meeting
from registrations.choices import RegistrationStatus
from tests.factories import BusinessProfileFactory, ProjectFactory, SectorFactory

pytestmark = pytest.mark.django_db


def profile(edition, **fields):
    registration = {k[14:]: fields.pop(k) for k in list(fields) if k.startswith("registration__")}
    return BusinessProfileFactory(
        registration__edition=edition,
        **{f"registration__{k}": v for k, v in registration.items()},
        **fields,
    )


def test_the_directory_lists_only_listed_profiles_of_confirmed_registrations(edition):
    smart = SectorFactory(slug="smart-cities", name="Smart cities")
    rail = ProjectFactory(edition=edition, country="PH", title="Urban rail")
    viewer = profile(edition, registration__organisation="Viewer Co.")
    owner = profile(
        edition,
        side=ProfileSide.PROJECT_OWNER,
        registration__organisation="DOTr",
        registration__country="PH",
        description="Urban rail extension",
    )
    owner.projects_presented.set([rail])
    company = profile(edition, registration__organisation="Hanbit", countries_of_interest=["VN"])
    company.sectors.set([smart])
    profile(edition, listed=False, registration__organisation="Unlisted")
    profile(
        edition,
        registration__organisation="Unconfirmed",
        registration__status=RegistrationStatus.AWAITING_APPROVAL,
    )

    def names(**filters):
        found = selectors.directory(edition=edition, viewer=viewer.registration, **filters)
        return [p.registration.organisation for p in found]

    assert names() == ["DOTr", "Hanbit"]
    assert names(side=ProfileSide.PROJECT_OWNER) == ["DOTr"]
    assert names(sector="smart-cities") == ["Hanbit"]
    assert names(country="VN") == ["Hanbit"]  # of interest
    assert names(country="ph") == ["DOTr"]  # based there
    assert names(project=rail) == ["DOTr"]
    assert names(search="rail extension") == ["DOTr"]
    assert names(search="nothing like it") == []
    assert (
        selectors.listed_profile(edition=edition, pk=viewer.pk, viewer=viewer.registration) is None
    )


def test_a_profile_matching_a_filter_several_ways_is_listed_and_counted_once(edition):
    rail, port, road = (
        ProjectFactory(edition=edition, country="PH", title=title)
        for title in ("Urban rail", "Port", "Road")
    )
    smart, green = SectorFactory(slug="smart-cities"), SectorFactory(slug="green")
    viewer = profile(edition)
    owner = profile(edition, side=ProfileSide.PROJECT_OWNER, registration__organisation="DOTr")
    owner.projects_presented.set([rail, port])
    owner.projects_of_interest.set([rail, port, road])
    owner.sectors.set([smart, green])

    for filters in ({"project": rail}, {"project": road.pk}, {"sector": "green"}, {}):
        found = selectors.directory_cards(edition=edition, viewer=viewer.registration, **filters)
        assert [p.registration.organisation for p in found] == ["DOTr"], filters
        assert found.count() == 1
        # No DISTINCT over every column for the page and its count.
        assert "DISTINCT" not in str(found.query)
    assert list(selectors.directory(edition=edition, project=port)) == [owner]


def test_recommendations_come_with_reasons_and_skip_requested_pairs(edition):
    smart = SectorFactory(slug="smart-cities", name="Smart cities")
    traffic = ProjectFactory(edition=edition, country="VN", title="Smart traffic centre")
    company = profile(edition, countries_of_interest=["VN"])
    company.sectors.set([smart])
    company.projects_of_interest.set([traffic])
    owner = profile(edition, side=ProfileSide.PROJECT_OWNER, registration__country="VN")
    owner.sectors.set([smart])
    owner.projects_presented.set([traffic])
    other = profile(edition, side=ProfileSide.FINANCIER)
    other.sectors.set([smart])

    found = selectors.recommendations(registration=company.registration)

    assert [r.profile for r in found] == [owner, other]
    assert found[0].reasons == (
        "interested in Vietnam's project Smart traffic centre",
        "both in Smart cities",
        "has projects in Vietnam",
        "a project owner",
        "speaks English",
    )
    request_meeting(sender=company.registration, receiver=owner.registration)
    assert [r.profile for r in selectors.recommendations(registration=company.registration)] == [
        other
    ]


def test_my_requests_and_meetings_come_with_their_rows_preloaded(edition, meeting_slots):
    me = profile(edition).registration

    def read_all() -> int:
        with CaptureQueriesContext(connection) as queries:
            for request in selectors.sent_requests(registration=me):
                _ = (request.receiver.business_profile.side, request.project, request.edition)
                _ = request.scheduled_meetings
            for meeting in selectors.my_meetings(registration=me):
                _ = (meeting.slot.starts_at, meeting.other(me).name, meeting.edition.title)
        return len(queries)

    def book_one(slot):
        other = profile(edition, side=ProfileSide.PROJECT_OWNER).registration
        request = request_meeting(sender=me, receiver=other)
        accept_request(request=request, by=other, slot=slot)

    book_one(meeting_slots[0])
    one = read_all()
    for slot in meeting_slots[1:]:
        book_one(slot)
    assert read_all() == one
