"""Links: signed, expiring and revoked when the registration ends or its email changes."""

import time

import pytest
from django.core import signing

from registrations.services.details import update_registration
from registrations.services.registrations import (
    cancel_registration,
    confirm_registration,
    register_attendee,
)
from registrations.tokens import CONFIRM, MANAGE, TokenError, make_token, read_token
from tests.registrations.data import service_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration(open_edition):
    return register_attendee(edition=open_edition, data=service_data())


def made_hours_ago(monkeypatch, registration, hours: float, purpose: str) -> str:
    past = time.time() - hours * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: past)
        return make_token(registration, purpose=purpose)


def reason(token: str, purpose: str) -> str:
    with pytest.raises(TokenError) as error:
        read_token(token, purpose=purpose)
    return error.value.reason


def test_a_fresh_link_reads_back_its_registration(registration):
    assert read_token(make_token(registration, purpose=CONFIRM), purpose=CONFIRM) == registration
    assert read_token(make_token(registration, purpose=MANAGE), purpose=MANAGE) == registration


def test_confirmation_links_expire_after_the_editions_hours(monkeypatch, registration):
    assert read_token(made_hours_ago(monkeypatch, registration, 47, CONFIRM), purpose=CONFIRM)
    assert reason(made_hours_ago(monkeypatch, registration, 49, CONFIRM), CONFIRM) == "expired"


def test_manage_links_live_longer_but_expire_too(monkeypatch, registration):
    assert read_token(made_hours_ago(monkeypatch, registration, 89 * 24, MANAGE), purpose=MANAGE)
    assert reason(made_hours_ago(monkeypatch, registration, 91 * 24, MANAGE), MANAGE) == "expired"


def test_tampered_and_foreign_links_are_refused(registration):
    token = make_token(registration, purpose=MANAGE)
    assert reason(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), MANAGE) == "invalid"
    assert reason("not-a-token", MANAGE) == "invalid"
    # A confirmation link is no manage link: the salts differ.
    assert reason(make_token(registration, purpose=CONFIRM), MANAGE) == "invalid"
    forged = signing.dumps(
        {"p": registration.public_id.hex, "k": registration.link_key}, salt="other"
    )
    assert reason(forged, MANAGE) == "invalid"


def test_links_die_when_the_registration_is_cancelled(registration):
    token = make_token(registration, purpose=MANAGE)
    cancel_registration(registration=registration)
    assert reason(token, MANAGE) == "revoked"


def test_links_die_when_the_new_email_is_confirmed(registration):
    registration = confirm_registration(registration=registration)
    token = make_token(registration, purpose=MANAGE)
    asked = update_registration(registration=registration, data={"email": "new@example.org"})
    assert read_token(token, purpose=MANAGE) == asked  # not before: the change may never happen
    new_address = make_token(asked, purpose=CONFIRM, new_email="new@example.org")
    updated = confirm_registration(
        registration=read_token(new_address, purpose=CONFIRM), new_email=True
    )
    assert reason(token, MANAGE) == "revoked"
    assert read_token(make_token(updated, purpose=MANAGE), purpose=MANAGE) == updated


def test_a_confirmation_link_works_once(registration):
    token = make_token(registration, purpose=CONFIRM)
    confirm_registration(registration=read_token(token, purpose=CONFIRM))
    assert reason(token, CONFIRM) == "used"


def test_a_new_address_link_works_once_and_only_for_the_address_last_asked_for(registration):
    confirm_registration(registration=registration)
    first = update_registration(registration=registration, data={"email": "first@example.org"})
    first_link = make_token(first, purpose=CONFIRM, new_email="first@example.org")
    second = update_registration(registration=first, data={"email": "second@example.org"})
    second_link = make_token(second, purpose=CONFIRM, new_email="second@example.org")
    assert reason(first_link, CONFIRM) == "revoked"
    confirm_registration(registration=read_token(second_link, purpose=CONFIRM), new_email=True)
    assert reason(second_link, CONFIRM) == "revoked"  # the address change rotated the key


def test_links_carry_a_public_id_not_the_sequential_key(registration):
    token = make_token(registration, purpose=MANAGE)
    payload = signing.loads(token, salt=MANAGE)
    assert payload == {"p": registration.public_id.hex, "k": registration.link_key}
    legacy = signing.dumps({"r": registration.pk, "k": registration.link_key}, salt=MANAGE)
    assert reason(legacy, MANAGE) == "invalid"
