"""Whatever is typed into the public forms, the answer is a page or a redirect, never an error."""

import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from common.ratelimit import DEFAULT_LIMITS
from registrations.services.registrations import register_attendee
from registrations.tokens import MANAGE, make_token
from tests.registrations.data import form_data, service_data

pytestmark = pytest.mark.django_db

FIELDS = [
    "name",
    "email",
    "organisation",
    "job_title",
    "country",
    "category",
    "phone",
    "time_zone",
    "language",
    "wants_meetings",
    "sessions",
    "consent_collection",
    "consent_sharing",
    "consent_transfer",
    "consent_marketing",
    "website",
    "confirm",
    "kind",
    "action",
]

junk = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", "on", "KR", "korean_company", "media", "Asia/Seoul", "ko", "1", "-1"]),
    st.from_regex(r"[a-z]{1,10}@[a-z]{1,10}\.(org|kr)", fullmatch=True),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
# Values the test client can put on the wire (it can't send NUL-free guarantees otherwise).
post_data = st.dictionaries(
    st.sampled_from(FIELDS), st.one_of(junk, st.lists(junk, max_size=4)), max_size=len(FIELDS)
)
valid_then_mangled = st.builds(
    lambda base, changes: {**base, **changes}, st.just(form_data()), post_data
)

RUNS = hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def generous_limits(settings):
    # Every public scope: the fuzzing posts far more than one person would in an hour.
    scopes = [scope for scope in DEFAULT_LIMITS if not scope.startswith("admin_")]
    settings.REGISTRATION_RATE_LIMITS = dict.fromkeys(scopes, (10000, 3600))


@RUNS
@given(data=st.one_of(post_data, valid_then_mangled))
def test_the_registration_form_never_fails(client, open_edition, generous_limits, data):
    response = client.post("/register/", data)
    assert response.status_code in {200, 302}


@RUNS
@given(data=post_data)
def test_the_link_form_never_fails(client, open_edition, generous_limits, data):
    response = client.post("/register/link/", data)
    assert response.status_code in {200, 302}


@RUNS
@given(
    data=st.one_of(post_data, valid_then_mangled),
    path=st.sampled_from(["", "sessions/", "consents/"]),
)
def test_the_self_service_forms_never_fail(client, open_edition, generous_limits, data, path):
    registration = register_attendee(
        edition=open_edition, data=service_data(email=f"owner-{uuid.uuid4().hex}@example.org")
    )
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    response = client.post(f"/register/manage/{path}", data)
    assert response.status_code in {200, 302}


@RUNS
@given(token=st.text(max_size=200).filter(lambda t: "/" not in t and t.strip()))
def test_any_token_is_answered_without_failing(client, open_edition, token):
    for prefix in ("/register/manage/", "/register/confirm/"):
        response = client.get(f"{prefix}{quote(token, safe='')}/")
        assert response.status_code in {302, 400, 404}
