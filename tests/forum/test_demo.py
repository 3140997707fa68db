"""The 9th forum's demo data: what it loads, and that loading it twice changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from forum.models import (
    ContactPerson,
    Edition,
    EditionOrganisation,
    Organisation,
    Project,
    Session,
    SessionSpeaker,
    Speaker,
)

MODELS = [
    Edition,
    Session,
    Speaker,
    SessionSpeaker,
    Project,
    Organisation,
    EditionOrganisation,
    ContactPerson,
]


# When the page cache was last invalidated is not content: every save sets it anew.
NOT_CONTENT = {"content_changed_at"}


def snapshot():
    return {
        model.__name__: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items() if k not in NOT_CONTENT))
            for row in model.objects.values()
        )
        for model in MODELS
    }


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing():
    call_command("load_demo_forum")
    first = snapshot()
    call_command("load_demo_forum")
    assert snapshot() == first


@pytest.mark.django_db
def test_demo_is_the_ninth_forum_from_the_seeds():
    call_command("load_demo_forum")
    edition = Edition.objects.get(is_current=True)
    assert edition.number == 9
    assert str(edition.start_date) == "2022-01-18"
    assert str(edition.end_date) == "2022-01-19"
    assert (str(edition.meetings_start), str(edition.meetings_end)) == ("2022-01-24", "2022-02-11")
    assert sorted(edition.focus_areas.values_list("name", flat=True)) == [
        "Digital innovation",
        "Sustainable infrastructure",
    ]
    roles = {(p.organisation.short_name, p.role) for p in edition.partners.all()}
    assert roles == {
        ("AKC", "organiser"),
        ("ICAK", "co_host"),
        ("MOFA", "supporter"),
        ("ASEC", "supporter"),
    }
    keynote_speakers = set(
        SessionSpeaker.objects.filter(role="keynote_speaker").values_list(
            "speaker__name", flat=True
        )
    )
    assert keynote_speakers == {"Lee Seong-ho", "Yeap Samnang"}
    panel_organisations = set(
        SessionSpeaker.objects.filter(session__kind="panel").values_list(
            "speaker__organisation__short_name", flat=True
        )
    )
    assert panel_organisations == {"ASEC", "UN-ESCAP", "MIGA Korea", "KEXIM"}
    assert set(Project.objects.values_list("sector__slug", flat=True)) == {
        "transport",
        "energy",
        "smart-cities",
    }
    assert set(Project.objects.values_list("is_sample", flat=True)) == {True}
    assert sorted(ContactPerson.objects.values_list("email", flat=True)) == [
        "crbak@aseankorea.org",
        "sjkim@aseankorea.org",
    ]


@pytest.mark.django_db
def test_demo_staff_account_is_printed_and_can_use_the_admin(client, capsys):
    call_command("load_demo_forum", "--with-staff")
    out = capsys.readouterr().out
    assert "Demo staff login: demo-staff / connectivity-2022" in out
    user = get_user_model().objects.get(username="demo-staff")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Organiser"]
    assert client.login(username="demo-staff", password="connectivity-2022")
    response = client.get("/admin/forum/session/")
    assert response.status_code == 200
    assert "Keynotes: connectivity projects during the pandemic" in response.text


@pytest.mark.django_db
def test_demo_leaves_another_current_edition_current():
    from tests.factories import EditionFactory

    tenth = EditionFactory(number=10, is_current=True)
    call_command("load_demo_forum")
    assert Edition.objects.get(is_current=True) == tenth
