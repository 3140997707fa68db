"""The back office: the list with its filters, and the actions that go through the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registrations.models import Registration, SessionBooking
from registrations.services.registrations import confirm_registration, register_attendee
from tests.factories import RegistrationFactory
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db

LIST = "/admin/registrations/registration/"


def act(client, action, registrations, query="", *, confirmed=True):
    """Runs an admin action as staff do: choose it, then say yes on the page that asks."""
    data = {"action": action, "_selected_action": [r.pk for r in registrations]}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(LIST + query, data, follow=True)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_approve_and_reject_go_through_the_services(
    admin_client, open_edition, small_session, mailoutbox, run_on_commit
):
    open_edition.registration_settings.approval_categories = ["media"]
    open_edition.registration_settings.save()
    a, b = [
        confirm_registration(
            registration=register_attendee(
                edition=open_edition,
                data=service_data(email=f"{n}@press.example", category="media"),
            )
        )
        for n in "ab"
    ]
    with run_on_commit():
        response = act(admin_client, "approve", [a])
    assert shown_messages(response) == ["1 approved."]
    with run_on_commit():
        act(admin_client, "reject", [b])
    assert dict(Registration.objects.values_list("email", "status")) == {
        "a@press.example": "confirmed",
        "b@press.example": "rejected",
    }
    assert [m.subject.split(" — ")[0] for m in mailoutbox] == [
        "Your registration is approved",
        "About your registration",
    ]


def test_an_action_that_doesnt_apply_says_why_instead_of_failing(admin_client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    response = act(admin_client, "approve", [registration])
    assert shown_messages(response) == [
        f"{registration}: Only registrations awaiting approval can be approved."
    ]


def test_cancel_promotes_and_staff_can_promote_by_hand(admin_client, open_edition, small_session):
    first, second, third = [
        register_attendee(
            edition=open_edition,
            data=service_data(email=f"p{n}@example.org", sessions=[small_session]),
        )
        for n in range(3)
    ]
    act(admin_client, "cancel", [first])
    assert SessionBooking.objects.get(status="booked").registration == second

    small_session.capacity = 2
    small_session.save()
    response = act(admin_client, "promote", [third])
    assert shown_messages(response) == ["1 booking promoted."]
    assert SessionBooking.objects.filter(status="booked").count() == 2


def test_resend_confirmation(admin_client, open_edition, mailoutbox, run_on_commit):
    registration = register_attendee(edition=open_edition, data=service_data())
    with run_on_commit():
        response = act(admin_client, "resend_confirmation", [registration])
    assert shown_messages(response) == ["1 emails sent."]
    assert mailoutbox[-1].subject.startswith("Please confirm your email address")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status__exact=confirmed", []),
        ("?status__exact=awaiting_confirmation", ["jiwon.park@example.co.kr"]),
        ("?category__exact=media", []),
        ("?country__exact=KR", ["jiwon.park@example.co.kr"]),
        ("?wants_meetings__exact=1", []),
        ("?consent=marketing", []),
        ("?consent=transfer", ["jiwon.park@example.co.kr"]),
        ("?q=Hanbit", ["jiwon.park@example.co.kr"]),
        ("?q=nobody", []),
    ],
)
def test_the_list_filters_and_search_work(
    admin_client, open_edition, big_session, small_session, query, expected
):
    register_attendee(
        edition=open_edition,
        data=service_data(sessions=[big_session], consents=["collection", "transfer"]),
    )
    response = admin_client.get(LIST + query + f"&session={big_session.pk}")
    assert [r.email for r in response.context["cl"].result_list] == expected
    response = admin_client.get(LIST + f"?session={small_session.pk}")
    assert list(response.context["cl"].result_list) == []


def test_the_list_needs_the_same_queries_for_few_and_many(admin_client, open_edition):
    def load():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(LIST).status_code == 200
        return len(queries)

    register_attendee(edition=open_edition, data=service_data(email="one@example.org"))
    few = load()
    for n in range(12):
        register_attendee(edition=open_edition, data=service_data(email=f"m{n}@example.org"))
    assert load() == few


def test_searching_by_the_latin_name_finds_a_korean_named_registration(admin_client, edition):
    korean = RegistrationFactory(
        edition=edition,
        name="김민준",
        name_latin="Kim Min-jun",
        organisation="한빛엔지니어링",
        organisation_en="Hanbit Engineering",
    )
    RegistrationFactory(edition=edition, name="Kim Seo-yeon", organisation="Other Co.")

    for query in ("min-jun", "Hanbit Engineering"):
        found = admin_client.get(LIST, {"q": query})
        assert list(found.context["cl"].result_list) == [korean]
    page = found.content.decode()
    # The Latin companion beside the name as written, in the list staff read.
    assert "김민준 (Kim Min-jun)" in page and "한빛엔지니어링 (Hanbit Engineering)" in page
