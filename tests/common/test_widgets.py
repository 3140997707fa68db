"""Long choice lists (countries, time zones): pre-rendered, yet each form shows its own choice."""

import re

from django.utils import translation

from forum.forms import TimeZoneForm
from registrations.forms.fields import DetailFieldsMixin


def selected(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', html)


def test_each_form_marks_its_own_choice_in_a_shared_list():
    jakarta = str(TimeZoneForm(initial={"tz": "Asia/Jakarta"})["tz"])
    none = str(TimeZoneForm()["tz"])
    assert selected(jakarta) == ["Asia/Jakarta"]
    assert selected(none) == [""]
    assert (
        '<option value="Asia/Ho_Chi_Minh">Ho Chi Minh — Vietnam (Asia/Ho_Chi_Minh)</option>'
        in jakarta
    )
    assert re.match(r'<select name="tz" class="form-select" id="id_tz" required>', jakarta)


def test_a_submitted_form_keeps_the_typed_country_and_zone_in_the_visitors_language():
    data = {"country": "KH", "time_zone": "Asia/Phnom_Penh", "email": "not an email"}
    with translation.override("ko"):
        form = DetailFieldsMixin(data)
        country, zone = str(form["country"]), str(form["time_zone"])
    assert not form.is_valid()
    assert selected(country) == ["KH"] and selected(zone) == ["Asia/Phnom_Penh"]
    assert '<option value="KH" selected>캄보디아</option>' in country
    with translation.override("en"):
        assert '<option value="KH" selected>Cambodia</option>' in str(
            DetailFieldsMixin(data)["country"]
        )


def test_a_value_that_is_not_offered_selects_nothing_and_is_refused():
    form = DetailFieldsMixin({"country": '"><script>', "time_zone": "Mars/Olympus"})
    assert selected(str(form["country"])) == []
    assert "<script>" not in str(form["country"])
    assert not form.is_valid()
    assert set(form.errors) >= {"country", "time_zone"}
