"""A database outage answers 503 with Retry-After, from a view or from a middleware, never 500."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from registrations.models import Registration
from registrations.services.registrations import register_attendee
from registrations.tokens import MANAGE, make_token
from tests.registrations.data import form_data, service_data

pytestmark = pytest.mark.django_db


def database_down(only: str = ""):
    def wrapper(execute, sql, params, many, context):
        if only in sql:
            raise OperationalError("could not connect to server: Connection refused")
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.parametrize("prefix", ["", "/ko"])
def test_registering_while_the_database_is_down_answers_503(open_edition, prefix):
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down()):
        response = client.post(f"{prefix}/register/", form_data())
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert response.headers["Cache-Control"] == "no-store"
    expected = {
        "": "The forum is unavailable for a moment while its database restarts.",
        "/ko": "포럼의 데이터베이스를 다시 시작하는 동안 잠시 이용할 수 없습니다.",
    }[prefix]
    assert expected in response.content.decode()
    assert not Registration.objects.exists()


def test_an_outage_met_by_a_middleware_is_a_503_too(open_edition):
    """The session is saved after the view, by its middleware: not a 500 either."""
    registration = register_attendee(edition=open_edition, data=service_data())
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_down(only="django_session")):
        response = client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"


def test_other_errors_stay_500(settings):
    from django.test import RequestFactory

    from common.outage import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
