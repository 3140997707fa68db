"""A profile leaving the directory closes the requests still waiting for its answer: each is in
the audit trail and its sender is emailed."""

import pytest
from django.contrib.auth.models import User

from common.models import AuditLog
from meetings.choices import RequestStatus
from meetings.models import MeetingRequest
from meetings.services.profiles import save_business_profile
from meetings.services.requests import request_meeting
from tests.factories import BusinessProfileFactory, MeetingSettingsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(edition):
    MeetingSettingsFactory(edition=edition)
    receiver = BusinessProfileFactory(
        registration__edition=edition,
        registration__name="Nguyen Thi Lan",
        registration__organisation="Ministry of Transport of Viet Nam",
    ).registration
    senders = [
        BusinessProfileFactory(registration__edition=edition, registration__name=name).registration
        for name in ("Kim Min-jun", "Lee Seo-yeon")
    ]
    requests = [request_meeting(sender=sender, receiver=receiver) for sender in senders]
    return receiver, senders, requests


@pytest.mark.parametrize("by_staff", [False, True])
def test_unlisting_closes_waiting_requests_with_history_and_email(
    waiting, mailoutbox, run_on_commit, by_staff
):
    receiver, senders, requests = waiting
    user = User.objects.create_user("staff", is_staff=True) if by_staff else None
    mailoutbox.clear()

    with run_on_commit():
        save_business_profile(registration=receiver, data={"listed": False}, user=user)

    assert sorted(MeetingRequest.objects.values_list("status", flat=True)) == [
        RequestStatus.CANCELLED,
        RequestStatus.CANCELLED,
    ]
    entries = AuditLog.objects.filter(action="meeting_request.cancelled").order_by("object_id")
    assert [(e.object_id, e.details["reason"]) for e in entries] == [
        (requests[0].pk, "receiver_unlisted"),
        (requests[1].pk, "receiver_unlisted"),
    ]
    assert {e.actor_kind for e in entries} == {"staff" if by_staff else "attendee"}
    assert sorted((m.to[0], m.subject.split(" — ")[0]) for m in mailoutbox) == sorted(
        (
            sender.email,
            "About your meeting request to Nguyen Thi Lan (Ministry of Transport of Viet Nam)",
        )
        for sender in senders
    )
    assert "is no longer taking meeting requests" in mailoutbox[0].body
