"""Names and every one-line field refuse line breaks and other control characters, in the
forms (with a clear message, keeping what was typed) and in the models (admin, imports)."""

import pytest
from django.core.exceptions import ValidationError

from common.validators import single_line
from registrations.models import Registration
from registrations.services.registrations import register_attendee
from registrations.tokens import MANAGE, make_token
from tests.factories import RegistrationFactory, SessionFactory
from tests.registrations.data import form_data, service_data

pytestmark = pytest.mark.django_db

MESSAGE = "Write this on one line, without line breaks, tabs or other control characters."


@pytest.mark.parametrize(
    "value", ["Park\nJi-won", "Park\rJi-won", "Park\tJi-won", "Park\x00", "Park\u2028Ji-won"]
)
def test_the_validator_refuses_control_characters(value):
    with pytest.raises(ValidationError) as refused:
        single_line(value)
    assert refused.value.messages == [MESSAGE]


@pytest.mark.parametrize("value", ["", "Park Ji-won", "박지원", "Nguyễn Thị Lan", "O'Brien & Co."])
def test_the_validator_lets_ordinary_names_through(value):
    single_line(value)


@pytest.mark.parametrize("field", ["name", "organisation", "job_title", "phone"])
def test_the_registration_form_refuses_a_line_break_and_keeps_what_was_typed(
    client, open_edition, field
):
    response = client.post("/register/", form_data(**{field: "Hanbit\nEngineering"}))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [MESSAGE]
    assert form["email"].value() == "jiwon.park@example.co.kr"
    assert not Registration.objects.exists()


def test_the_manage_page_refuses_a_line_break_in_the_name(client, open_edition):
    registration = register_attendee(edition=open_edition, data=service_data())
    client.get(f"/register/manage/{make_token(registration, purpose=MANAGE)}/")
    response = client.post("/register/manage/", form_data(name="Park\nJi-won"))
    assert response.status_code == 200
    assert response.context["details_form"].errors["name"] == [MESSAGE]
    registration.refresh_from_db()
    assert registration.name == "Park Ji-won"


def test_the_models_refuse_it_too(edition):
    registration = RegistrationFactory.build(edition=edition, name="Kim\nMin-jun")
    with pytest.raises(ValidationError) as refused:
        registration.full_clean(exclude=["edition"])
    assert refused.value.message_dict["name"] == [MESSAGE]
    session = SessionFactory.build(edition=edition, title="Opening\r\nBcc: x@example.org")
    with pytest.raises(ValidationError) as refused:
        session.full_clean(exclude=["edition"])
    assert refused.value.message_dict["title"] == [MESSAGE]


def test_the_admin_refuses_a_line_break_in_a_session_title(admin_client, open_edition):
    session = SessionFactory(edition=open_edition, title="Opening")
    page = admin_client.get(f"/admin/forum/session/{session.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: (value if value is not None else "")
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data = {key: value for key, value in data.items() if value != [] and value is not False}
    data.update({"title_en": "Opening\nceremony"})
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
    response = admin_client.post(f"/admin/forum/session/{session.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title_en"] == [MESSAGE]
    session.refresh_from_db()
    assert session.title == "Opening"
