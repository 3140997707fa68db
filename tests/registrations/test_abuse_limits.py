"""Abuse limits: the manage page can't be used to mail strangers, admin sign-in can't be guessed."""

import re

import pytest
from django.contrib.auth import get_user_model

from registrations.models import Registration
from registrations.services.registrations import register_attendee
from registrations.tokens import MANAGE, make_token
from tests.registrations.data import form_data, service_data


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def signed_in(client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    return registration


def test_email_changes_are_bounded_per_registration(client, signed_in, mailoutbox, run_on_commit):
    statuses = []
    for n in range(5):
        with run_on_commit():  # each email leaves when its request commits
            response = client.post("/register/manage/", form_data(email=f"stranger{n}@example.org"))
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429, 429]
    refused = client.post("/register/manage/", form_data(email="stranger9@example.org"))
    page = text(refused)
    assert "Too many attempts from your connection or for this email." in page
    assert 'value="stranger9@example.org"' in page  # what was typed is kept
    strangers = {address for message in mailoutbox for address in message.to}
    assert {a for a in strangers if a.startswith("stranger")} == {
        "stranger0@example.org",
        "stranger1@example.org",
        "stranger2@example.org",
    }


def test_email_changes_to_one_address_are_bounded_across_registrations(
    client, open_edition, run_on_commit, mailoutbox, settings
):
    settings.REGISTRATION_RATE_LIMITS = {"email_change_registration": (100, 3600)}
    target = "target@example.org"
    statuses = []
    for n in range(5):
        registration = register_attendee(
            edition=open_edition, data=service_data(email=f"owner{n}@example.org")
        )
        client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
        with run_on_commit():
            statuses.append(client.post("/register/manage/", form_data(email=target)).status_code)
    assert statuses == [302, 302, 302, 429, 429]


def test_manage_posts_are_bounded_per_registration(client, signed_in, settings):
    settings.REGISTRATION_RATE_LIMITS = {"manage_registration": (3, 3600)}
    statuses = [
        client.post("/register/manage/", form_data(job_title=f"Director {n}")).status_code
        for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
    assert Registration.objects.get(pk=signed_in.pk).job_title == "Director 2"
    assert client.get("/register/manage/").status_code == 200  # reading is not limited


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user(
        username="organiser", password="the-right-password", is_staff=True, is_superuser=True
    )


def test_admin_sign_in_is_refused_after_repeated_wrong_passwords_even_with_the_right_one(
    client, staff_user
):
    for _n in range(5):
        wrong = client.post(
            "/admin/login/", {"username": "organiser", "password": "guess", "next": "/admin/"}
        )
        assert wrong.status_code == 200
        assert "Please enter the correct username and password" in text(wrong)
    response = client.post(
        "/admin/login/",
        {"username": "organiser", "password": "the-right-password", "next": "/admin/"},
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts from your connection." in text(response)
    assert "_auth_user_id" not in client.session


def test_admin_sign_in_throttles_a_connection_trying_many_usernames(client, staff_user):
    for n in range(20):
        client.post("/admin/login/", {"username": f"user{n}", "password": "guess"})
    response = client.post(
        "/admin/login/", {"username": "organiser", "password": "the-right-password"}
    )
    assert response.status_code == 429


def test_admin_sign_in_from_another_connection_still_works(client, staff_user):
    for _n in range(6):
        client.post("/admin/login/", {"username": "organiser", "password": "guess"})
    response = client.post(
        "/admin/login/",
        {"username": "organiser", "password": "the-right-password", "next": "/admin/"},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
