"""The participant pages cost the same queries for a forum of 10 profiles and one of 2,000."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.choices import BookingMode, ProfileSide
from registrations.tokens import MANAGE, make_token
from tests.factories import (
    BusinessProfileFactory,
    MeetingSettingsFactory,
    ProjectFactory,
    SectorFactory,
    bulk_profiles,
)

pytestmark = pytest.mark.django_db

COUNTRIES = ["VN", "KH", "ID", "PH", "TH", "LA", "MY", "MM", "BN", "SG", "TL"]


@pytest.fixture(params=[10, 2000], ids=["10 profiles", "2000 profiles"])
def forum(request, edition):
    """A forum with 156 projects, 12 sectors and `param` listed profiles besides the viewer's."""
    MeetingSettingsFactory(edition=edition, booking_mode=BookingMode.SELF_BOOKING)
    sectors = [SectorFactory(slug=f"sector-{n}", name=f"Sector {n}") for n in range(12)]
    projects = [
        ProjectFactory(edition=edition, country=COUNTRIES[n % 11], title=f"Project {n}")
        for n in range(156)
    ]
    viewer = BusinessProfileFactory(registration__edition=edition, side=ProfileSide.COMPANY)
    viewer.sectors.set(sectors[:2])
    viewer.projects_of_interest.set(projects[:3])
    others = bulk_profiles(edition, request.param, sectors=sectors, projects=projects)
    return viewer, [p for p in others if p.listed]


def queries(client, path: str) -> int:
    """The queries of a view in a process that has shown the page before: what is kept per
    process (the footer's contacts, the project and sector lists, the candidates) is read on a
    process's first view and after a change, not on every view."""
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.fixture
def signed_in(client, forum):
    viewer, _ = forum
    client.get(f"/meetings/enter/{make_token(viewer.registration, purpose=MANAGE)}/")
    return client


@pytest.mark.parametrize(
    ("page", "most"),
    [
        ("/meetings/", 5),
        ("/meetings/directory/", 7),
        ("/meetings/profile/", 6),
        ("/meetings/recommended/", 10),
    ],
)
def test_a_participant_page_needs_few_queries_whatever_the_forum_size(signed_in, page, most):
    assert queries(signed_in, page) <= most


def test_a_counterpart_needs_few_queries_whatever_the_forum_size(signed_in, forum):
    _, others = forum
    assert queries(signed_in, f"/meetings/directory/{others[0].pk}/") <= 8
