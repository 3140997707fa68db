"""The demo's sample participants: labelled as samples in the reader's language, and readable in
Latin letters whatever script their names are written in."""

import datetime as dt
import html
import re

import pytest

from backoffice.demo import load_demo_forum
from common.scripts import written_in_latin
from registrations.models import Registration
from registrations.tokens import MANAGE, make_token

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"</?bdi>", "", response.content.decode())))


@pytest.fixture
def rehearsal():
    return load_demo_forum(today=dt.date(2031, 3, 5))


def test_every_sample_in_another_script_has_its_latin_name_and_english_organisation(rehearsal):
    samples = Registration.objects.filter(edition=rehearsal, is_sample=True)
    assert samples.count() == 9
    scripts = {
        (r.name, r.organisation): (r.name_latin, r.organisation_en)
        for r in samples
        if not written_in_latin(r.name) or not written_in_latin(r.organisation)
    }
    assert scripts[("이지원", "한빛엔지니어링건설")] == (
        "Lee Ji-won",
        "Hanbit Engineering & Construction",
    )
    assert scripts[("အောင်ကိုကို", "မန္တလေးမြို့တော်စည်ပင်သာယာရေးကော်မတီ")] == (
        "Aung Ko Ko",
        "Mandalay City Development Committee",
    )
    assert len(scripts) == 5
    assert all(
        written_in_latin(latin) and written_in_latin(english) for latin, english in scripts.values()
    )
    assert all(latin and english for latin, english in scripts.values())
    # A name already in Latin letters (accents included) needs no companion.
    assert samples.get(email="sample.hcmc@example.org").name_latin == ""
    # The label is the page's, not part of the name.
    assert not samples.filter(name__icontains="sample").exists()


@pytest.mark.parametrize(
    ("prefix", "label", "other"),
    [("", "Sample: ", "예시: "), ("/ko", "예시: ", "Sample: ")],
)
def test_sample_people_are_labelled_in_the_pages_language(client, rehearsal, prefix, label, other):
    viewer = Registration.objects.get(edition=rehearsal, email="sample.dotr@example.org")
    client.get(f"/meetings/enter/{make_token(viewer, purpose=MANAGE)}/")
    page = text(client.get(f"{prefix}/meetings/directory/?side=company"))
    assert f"{label}이지원 (Lee Ji-won)" in page
    assert f"{label}한빛엔지니어링건설 (Hanbit Engineering & Construction)" in page
    assert other not in page
