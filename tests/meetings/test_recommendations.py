"""Recommendations for one viewer: the same as the full matrix, kept candidates, fixed queries."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_countries import countries

from meetings.choices import MEETING_LANGUAGES, OPEN_REQUEST_STATUSES, RequestStatus
from meetings.matching import recommend
from meetings.models import MeetingRequest
from meetings.selectors import meetings as selectors
from meetings.selectors.recommendations import Labels, reason_texts
from registrations.choices import RegistrationStatus
from tests.factories import ProjectFactory, SectorFactory, bulk_profiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(edition):
    sectors = [SectorFactory(slug=f"s{n}", name=f"Sector {n}") for n in range(6)]
    projects = [
        ProjectFactory(edition=edition, country=country, title=f"Project {n}")
        for n, country in enumerate(["VN", "KH", "ID", "PH", "TH", "VN", "LA", "MY"])
    ]
    return sectors, projects


def full_matrix(viewer):
    """What the page showed before issue 20: every listed profile against every other, all at
    once, and the viewer's row of the result, explained with every profile's names."""
    edition = viewer.registration.edition
    others = list(selectors.directory(edition=edition, viewer=viewer.registration))
    people = [selectors._profiles().get(pk=viewer.pk), *others]
    by_registration = {p.registration_id: p.pk for p in people}
    requested, declined = [], []
    for request in MeetingRequest.objects.filter(edition=edition):
        pair = (by_registration.get(request.sender_id), by_registration.get(request.receiver_id))
        if None in pair:
            continue
        if request.status in OPEN_REQUEST_STATUSES:
            requested.append(pair)
        elif request.status in (RequestStatus.DECLINED, RequestStatus.REJECTED):
            declined.append(pair)
    projects = {x.pk: x for p in people for x in p.projects_presented.all()} | {
        x.pk: x for p in people for x in p.projects_of_interest.all()
    }
    labels = Labels(
        sectors={s.slug: s.display_name for p in people for s in p.sectors.all()},
        countries=dict(countries),
        projects={pk: project.title for pk, project in projects.items()},
        languages={code: str(name) for code, name in MEETING_LANGUAGES},
    )
    result = recommend(
        [selectors._match_profile(p) for p in people],
        project_countries={pk: str(project.country) for pk, project in projects.items()},
        requested_pairs=requested,
        declined_pairs=declined,
    )
    return [(r.profile_id, r.score, reason_texts(r.reasons, labels)) for r in result[viewer.pk]]


def shown(viewer):
    found = selectors.recommendations(registration=viewer.registration)
    return [(r.profile.pk, r.score, r.reasons) for r in found]


def test_one_viewer_gets_what_the_full_matrix_gave(forum):
    sectors, projects = forum
    profiles = bulk_profiles(projects[0].edition, 120, sectors=sectors, projects=projects)
    rng = random.Random(7)
    for _ in range(60):
        sender, receiver = rng.sample(profiles, 2)
        MeetingRequest.objects.create(
            edition=sender.registration.edition,
            sender=sender.registration,
            receiver=receiver.registration,
            status=rng.choice(list(RequestStatus.values)),
        )
    profiles[3].registration.status = RegistrationStatus.CANCELLED
    profiles[3].registration.save()

    compared = 0
    for viewer in profiles[::4]:
        expected = full_matrix(viewer)
        assert shown(viewer) == expected
        compared += len(expected)
    assert compared > 200


def test_a_change_to_a_profile_a_project_or_a_registration_shows_at_once(forum, edition):
    sectors, projects = forum
    viewer, other, third = bulk_profiles(edition, 3, seed=3)
    for profile in (viewer, other, third):
        profile.sectors.clear()
        profile.projects_of_interest.clear()
        profile.projects_presented.clear()
        profile.countries_of_interest = []
        profile.save()
    assert shown(viewer) == []

    other.sectors.set([sectors[0]])
    viewer.sectors.set([sectors[0]])
    assert [pk for pk, _, _ in shown(viewer)] == [other.pk]

    project = projects[1]
    viewer.countries_of_interest = ["LA"]
    viewer.save()
    third.projects_presented.set([project])
    assert [pk for pk, _, _ in shown(viewer)] == [other.pk]
    project.country = "LA"
    project.save()
    assert [pk for pk, _, _ in shown(viewer)] == [other.pk, third.pk]  # 3 points before 2

    other.registration.status = RegistrationStatus.CANCELLED
    other.registration.save()
    assert [pk for pk, _, _ in shown(viewer)] == [third.pk]
    third.listed = False
    third.save()
    assert shown(viewer) == []


def test_the_candidates_are_read_once_until_a_profile_changes(forum, edition):
    sectors, projects = forum
    viewer, *_ = bulk_profiles(edition, 30, sectors=sectors, projects=projects)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.recommendations(registration=viewer.registration)
        return len(captured)

    first, kept = queries(), queries()
    viewer.sectors.add(sectors[0])
    assert (first, kept, queries()) == (first, first - 4, first)


@pytest.mark.parametrize("count", [10, 2000])
def test_the_queries_do_not_grow_with_the_forum(forum, edition, count):
    sectors, projects = forum
    viewer, *_ = bulk_profiles(edition, count, sectors=sectors, projects=projects, seed=count)
    with CaptureQueriesContext(connection) as captured:
        found = selectors.recommendations(registration=viewer.registration)
    assert len(found) == (3 if count == 10 else 10)
    # viewer's profile; version; who may be recommended now; the viewer's requests; the
    # candidates (profiles, sectors, projects presented, of interest); the ten shown with
    # their sectors and projects
    assert len(captured) == 12
