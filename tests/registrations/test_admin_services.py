"""The admin goes through the services: the same rules as the attendee's own pages, and history."""

import re

import pytest
from django.utils.html import escape

from common.models import AuditLog
from registrations.choices import BookingStatus, ConsentKind
from registrations.models import Registration, SessionBooking
from registrations.services.consents import withdraw_consent
from registrations.services.registrations import confirm_registration, register_attendee
from registrations.services.waitinglist import promote_from_waiting_list
from registrations.tokens import MANAGE, make_token
from tests.factories import EditionFactory
from tests.registrations.admin_forms import change_form_data
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db

CHANGE = "/admin/registrations/registration/{}/change/"


def edit(client, registration, **changes):
    page = client.get(CHANGE.format(registration.pk))
    return client.post(CHANGE.format(registration.pk), change_form_data(page, **changes))


def test_staff_changing_an_email_waits_for_the_new_inbox_then_revokes_old_links(
    client, admin_client, admin_user, open_edition, mailoutbox, run_on_commit
):
    registration = confirm_registration(
        registration=register_attendee(edition=open_edition, data=service_data())
    )
    old_link = f"/register/manage/{make_token(registration, purpose=MANAGE)}/"
    mailoutbox.clear()

    with run_on_commit():
        response = edit(admin_client, registration, email="new.inbox@example.org")

    assert response.status_code == 302
    registration.refresh_from_db()
    # As for the attendee's own change: the new address takes effect once its inbox confirms.
    assert (registration.email, registration.pending_email) == (
        "jiwon.park@example.co.kr",
        "new.inbox@example.org",
    )
    assert sorted((m.to[0], m.subject.split(" — ")[0]) for m in mailoutbox) == [
        ("jiwon.park@example.co.kr", "A change of your registration's email address"),
        ("new.inbox@example.org", "Please confirm your email address"),
    ]
    entry = AuditLog.objects.get(action="registration.email_change_asked")
    assert (entry.actor, entry.fields) == (admin_user, ["pending_email"])

    confirm_link = re.search(r"http://localhost:8000(/\S+/)", mailoutbox[-1].body).group(1)
    with run_on_commit():
        client.post(confirm_link)
    registration.refresh_from_db()
    assert registration.email == "new.inbox@example.org"
    assert client.get(old_link, follow=True).status_code == 400  # the old link no longer works


def test_staff_cant_switch_on_meetings_without_the_sharing_consent(admin_client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    assert not registration.consents.filter(kind=ConsentKind.SHARING).exists()

    response = edit(admin_client, registration, wants_meetings="on")

    assert response.status_code == 200
    assert "first agree to share your profile" in response.content.decode()
    registration.refresh_from_db()
    assert registration.wants_meetings is False


def test_staff_cant_give_an_address_another_registration_has(admin_client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    register_attendee(edition=open_edition, data=service_data(email="other@example.org"))

    response = edit(admin_client, registration, email="Other@example.org")

    assert "Another registration of this edition has this address." in response.content.decode()
    registration.refresh_from_db()
    assert registration.email == "jiwon.park@example.co.kr"


def test_a_state_change_that_emails_people_asks_first(admin_client, open_edition, mailoutbox):
    registration = register_attendee(edition=open_edition, data=service_data())
    mailoutbox.clear()

    page = admin_client.post(
        "/admin/registrations/registration/",
        {"action": "cancel", "_selected_action": [registration.pk]},
    )

    text = page.content.decode()
    assert "Cancel the selected registrations?" in text
    assert "Each cancelled attendee is emailed" in text
    assert escape(str(registration)) in text
    registration.refresh_from_db()
    assert (registration.status, mailoutbox) == ("awaiting_confirmation", [])


def waiting_line(open_edition, small_session):
    first, second = [
        register_attendee(
            edition=open_edition,
            data=service_data(email=f"p{n}@example.org", sessions=[small_session]),
        )
        for n in range(2)
    ]
    return first, second


def test_raising_a_sessions_capacity_moves_people_off_the_waiting_list(
    admin_client, open_edition, small_session, mailoutbox, run_on_commit
):
    waiting_line(open_edition, small_session)
    page = admin_client.get(f"/admin/forum/session/{small_session.pk}/change/")
    mailoutbox.clear()

    with run_on_commit():
        response = admin_client.post(
            f"/admin/forum/session/{small_session.pk}/change/",
            change_form_data(page, capacity="2"),
        )

    assert response.status_code == 302
    assert sorted(
        SessionBooking.objects.filter(session=small_session).values_list(
            "registration__email", "status", "seat"
        )
    ) == [("p0@example.org", "booked", 1), ("p1@example.org", "booked", 2)]
    assert [m.subject.split(" — ")[0] for m in mailoutbox] == ["A seat became free for you"]


def test_a_capacity_below_the_seats_taken_is_refused(admin_client, open_edition, small_session):
    waiting_line(open_edition, small_session)
    small_session.capacity = 2
    small_session.save()
    promote_from_waiting_list(session=small_session)
    page = admin_client.get(f"/admin/forum/session/{small_session.pk}/change/")

    response = admin_client.post(
        f"/admin/forum/session/{small_session.pk}/change/", change_form_data(page, capacity="1")
    )

    assert "the capacity can&#x27;t be lower" in response.content.decode()


def test_the_session_list_shows_booked_and_waiting_counts(
    admin_client, open_edition, small_session
):
    waiting_line(open_edition, small_session)

    response = admin_client.get("/admin/forum/session/")

    row = next(r for r in response.context["results"] if small_session.title in "".join(r))
    assert row[-2:] == [
        '<td class="field-booked_count">1</td>',
        '<td class="field-waiting_count">1</td>',
    ]


def test_deleting_a_registration_goes_through_the_services_and_promotes(
    admin_client, open_edition, small_session, mailoutbox, run_on_commit
):
    first, second = waiting_line(open_edition, small_session)

    with run_on_commit():
        admin_client.post(f"/admin/registrations/registration/{first.pk}/delete/", {"post": "yes"})

    assert not Registration.objects.filter(pk=first.pk).exists()
    booking = SessionBooking.objects.get(session=small_session)
    assert (booking.registration, booking.status, booking.seat) == (second, BookingStatus.BOOKED, 1)
    assert AuditLog.objects.filter(action="registration.deleted", object_id=first.pk).count() == 1


def test_bookings_are_never_deleted_in_the_admin(admin_client, open_edition, small_session):
    first, _second = waiting_line(open_edition, small_session)
    booking = SessionBooking.objects.get(registration=first)

    response = admin_client.post(
        f"/admin/registrations/sessionbooking/{booking.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert SessionBooking.objects.filter(pk=booking.pk).exists()


def test_an_edition_without_consent_texts_doesnt_open_its_form(client, admin_client):
    edition = EditionFactory(registration_opens=None, registration_closes=None)

    page = client.get("/register/")
    admin_page = admin_client.get(f"/admin/forum/edition/{edition.pk}/change/")

    assert "Registration is not open yet" in page.content.decode()
    assert "Can&#x27;t open: missing consent texts: Collection and use of personal data" in (
        admin_page.content.decode()
    )
    with pytest.raises(Exception) as error:
        register_attendee(edition=edition, data=service_data())
    assert getattr(error.value, "code", None) == "not_open_yet"
    assert Registration.objects.count() == 0


def test_withdrawn_sharing_consent_blocks_meetings_again(admin_client, open_edition):
    registration = register_attendee(
        edition=open_edition,
        data=service_data(consents=["collection", "transfer", "sharing"], wants_meetings=True),
    )
    withdraw_consent(registration=registration, kind=ConsentKind.SHARING)

    response = edit(admin_client, registration, wants_meetings="on")

    assert "first agree to share your profile" in response.content.decode()


def test_deleting_several_registrations_at_once_goes_through_the_services(
    admin_client, open_edition, small_session
):
    first, second = waiting_line(open_edition, small_session)
    third = register_attendee(
        edition=open_edition, data=service_data(email="p2@example.org", sessions=[small_session])
    )

    admin_client.post(
        "/admin/registrations/registration/",
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert list(Registration.objects.values_list("pk", flat=True)) == [third.pk]
    booking = SessionBooking.objects.get(session=small_session)
    assert (booking.registration, booking.status, booking.seat) == (third, BookingStatus.BOOKED, 1)
    assert AuditLog.objects.filter(action="registration.deleted").count() == 2


def test_confirming_an_action_on_every_filtered_row_applies_to_all_of_them(
    admin_client, open_edition
):
    """ "Select all N" on the list, then yes on the confirmation page: all N, not just one page."""
    registrations = [
        register_attendee(edition=open_edition, data=service_data(email=f"all{n}@example.org"))
        for n in range(3)
    ]
    page = admin_client.post(
        "/admin/registrations/registration/",
        {"action": "cancel", "_selected_action": [registrations[0].pk], "select_across": "1"},
    )
    assert "This applies to 3 items:" in page.content.decode()

    admin_client.post(
        "/admin/registrations/registration/",
        {
            "action": "cancel",
            "_selected_action": [registrations[0].pk],
            "select_across": "1",
            "confirmed": "yes",
        },
    )

    assert set(Registration.objects.values_list("status", flat=True)) == {"cancelled"}
