"""Staff matchmaking: mutual best matches become suggested meetings that both sides must accept."""

import pytest

from meetings.choices import ProfileSide, RequestStatus
from meetings.errors import MeetingError
from meetings.models import MeetingRequest
from meetings.selectors.meetings import requests_to_schedule
from meetings.services.requests import (
    accept_request,
    decline_request,
    suggest_meetings,
    withdraw_request,
)
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(edition):
    MeetingSettingsFactory(edition=edition)
    smart_cities = SectorFactory(name="Smart cities")
    owner = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Nguyen",
        registration__organisation="Ministry of Transport",
        side=ProfileSide.PROJECT_OWNER,
    )
    company = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Kim",
        registration__organisation="Hanbit Engineering",
    )
    loner = BusinessProfileFactory(registration__edition=edition, side=ProfileSide.OTHER)
    loner.sectors.add(SectorFactory(name="Media"))
    for profile in (owner, company):
        profile.sectors.add(smart_cities)
    return company.registration, owner.registration


def test_mutual_best_matches_become_suggestions_sent_to_both(
    edition, pair, mailoutbox, django_capture_on_commit_callbacks
):
    company, owner = pair

    with django_capture_on_commit_callbacks(execute=True):
        assert suggest_meetings(edition=edition, user=None) == 1

    [request] = MeetingRequest.objects.all()
    assert (request.sender, request.receiver, request.status) == (
        company,
        owner,
        RequestStatus.PROPOSED,
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([company.email, owner.email])
    assert {m.subject for m in mailoutbox} == {
        f"Suggested meeting with Kim (Hanbit Engineering) — {edition.display_title}",
        f"Suggested meeting with Nguyen (Ministry of Transport) — {edition.display_title}",
    }
    assert suggest_meetings(edition=edition, user=None) == 0  # no second one


def test_a_suggestion_counts_only_when_both_sides_accept(
    edition, pair, mailoutbox, django_capture_on_commit_callbacks
):
    company, owner = pair
    suggest_meetings(edition=edition, user=None)
    request = MeetingRequest.objects.get()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        accept_request(request=request, by=owner)
    request.refresh_from_db()
    assert request.status == RequestStatus.PROPOSED
    assert (request.needs_answer_from(owner), request.needs_answer_from(company)) == (False, True)
    assert [m.to[0] for m in mailoutbox] == [company.email]
    with pytest.raises(MeetingError) as twice:
        accept_request(request=request, by=owner)
    assert twice.value.code == "answered"

    accept_request(request=request, by=company)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED
    assert list(requests_to_schedule(edition=edition)) == [request]


def test_either_side_may_decline_a_suggestion_and_it_is_not_suggested_again(edition, pair):
    company, owner = pair
    suggest_meetings(edition=edition, user=None)
    request = MeetingRequest.objects.get()

    decline_request(request=request, by=company, reason="Not our sector")

    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert suggest_meetings(edition=edition, user=None) == 0


def test_only_the_two_sides_answer_a_suggestion(edition, pair):
    suggest_meetings(edition=edition, user=None)
    request = MeetingRequest.objects.get()
    stranger = BusinessProfileFactory(registration__edition=edition).registration

    with pytest.raises(MeetingError) as error:
        accept_request(request=request, by=stranger)

    assert error.value.code == "not_yours"


def test_staff_suggest_meetings_from_the_profile_list(admin_client, edition, pair):
    company, owner = pair

    response = admin_client.post(
        "/admin/meetings/businessprofile/",
        {"action": "suggest", "_selected_action": [company.business_profile.pk]},
        follow=True,
    )

    assert "1 meeting suggested; both sides are asked to agree." in response.content.decode()
    assert MeetingRequest.objects.get().suggested_by.username == "admin"


def test_both_sides_find_a_suggestion_among_the_requests_they_received(edition, pair):
    from meetings.selectors.meetings import received_requests, sent_requests

    company, owner = pair
    suggest_meetings(edition=edition, user=None)
    request = MeetingRequest.objects.get()

    assert list(received_requests(registration=company)) == [request]
    assert list(received_requests(registration=owner)) == [request]
    assert list(sent_requests(registration=company)) == []


def test_both_sides_accept_a_suggestion_in_the_meetings_area(edition, pair):
    from django.test import Client

    from registrations.tokens import MANAGE, make_token

    company, owner = pair
    suggest_meetings(edition=edition, user=None)
    request = MeetingRequest.objects.get()
    company_client, owner_client = Client(), Client()
    for browser, person in ((company_client, company), (owner_client, owner)):
        browser.get(f"/meetings/enter/{make_token(person, purpose=MANAGE)}/")

    page = owner_client.get(f"/meetings/requests/{request.pk}/").content.decode()
    heading = (
        "Meeting with <bdi>Kim</bdi>, <bdi>Hanbit Engineering</bdi>, suggested by the organisers"
    )
    assert heading in page
    answered = owner_client.post(f"/meetings/requests/{request.pk}/accept/", follow=True)
    assert "You agreed. The meeting goes ahead when Kim agrees too." in answered.content.decode()

    company_client.post(f"/meetings/requests/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.status in (RequestStatus.ACCEPTED, RequestStatus.BOOKED)


def test_an_agreed_suggestion_is_declined_never_withdrawn_by_either_side(edition, pair):
    """Who may withdraw and decline lives in one place: the page's buttons and the service agree
    (the service used to let the sender withdraw an agreed suggestion the page offered no way
    to withdraw)."""
    company, owner = pair
    suggest_meetings(edition=edition, user=None)
    request = MeetingRequest.objects.get()
    for side in (owner, company):
        accept_request(request=request, by=side)
    request.refresh_from_db()
    assert request.status == RequestStatus.ACCEPTED

    sender = request.sender
    assert (request.may_withdraw(sender), request.may_decline(sender)) == (False, True)
    with pytest.raises(MeetingError) as withdrawing:
        withdraw_request(request=request, by=sender)
    assert withdrawing.value.code == "closed"
    decline_request(request=request, by=sender, reason="")
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
