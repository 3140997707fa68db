"""The demo: the 9th forum (past), the rehearsal ahead of today; loading twice changes nothing."""

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from backoffice.demo import load_demo_forum
from forum.editions import make_edition_current
from forum.models import (
    ContactPerson,
    Edition,
    EditionOrganisation,
    Organisation,
    Project,
    Session,
    SessionMaterial,
    SessionRecording,
    SessionSpeaker,
    SessionStream,
    Speaker,
)
from forum.models.online import validate_material_file
from meetings.models import BusinessProfile, MeetingSlot
from registrations.models import ConsentText
from tests.factories import EditionFactory

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")

MODELS = [
    Edition,
    Session,
    Speaker,
    SessionSpeaker,
    Project,
    Organisation,
    EditionOrganisation,
    ContactPerson,
    SessionStream,
    SessionRecording,
    SessionMaterial,
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
def test_demo_keeps_the_ninth_forum_from_the_seeds_as_a_past_edition():
    call_command("load_demo_forum")
    edition = Edition.objects.get(number=9)
    assert (edition.is_current, edition.is_past, edition.is_rehearsal) == (False, True, False)
    assert not edition.registration_is_open()
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
        SessionSpeaker.objects.filter(session__edition=edition, role="keynote_speaker").values_list(
            "speaker__name", flat=True
        )
    )
    assert keynote_speakers == {"Lee Seong-ho", "Yeap Samnang"}
    panel_organisations = set(
        SessionSpeaker.objects.filter(session__edition=edition, session__kind="panel").values_list(
            "speaker__organisation__short_name", flat=True
        )
    )
    assert panel_organisations == {"ASEC", "UN-ESCAP", "MIGA Korea", "KEXIM"}
    assert set(Project.objects.filter(edition=edition).values_list("sector__slug", flat=True)) == {
        "transport",
        "energy",
        "smart-cities",
    }
    assert set(Project.objects.values_list("is_sample", flat=True)) == {True}
    assert sorted(
        ContactPerson.objects.filter(edition=edition).values_list("email", flat=True)
    ) == [
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
    tenth = EditionFactory(number=10, is_current=True)
    call_command("load_demo_forum")
    assert Edition.objects.get(is_current=True) == tenth
    # The rehearsal takes the next free number, beside it.
    assert Edition.objects.get(is_rehearsal=True).number == 11


@pytest.mark.django_db
def test_the_rehearsal_lies_ahead_of_the_day_the_demo_is_loaded():
    today = dt.date(2031, 3, 5)  # a Wednesday
    rehearsal = load_demo_forum(today=today)
    assert (rehearsal.is_current, rehearsal.is_rehearsal, rehearsal.slug) == (
        True,
        True,
        "rehearsal",
    )
    # Whole weeks after the 9th forum, at least two weeks ahead: the 9th's weekdays kept.
    assert rehearsal.start_date == dt.date(2031, 3, 25)  # Tuesday, like 18 January 2022
    assert rehearsal.end_date == dt.date(2031, 3, 26)
    assert (rehearsal.meetings_start, rehearsal.meetings_end) == (
        dt.date(2031, 3, 31),
        dt.date(2031, 4, 18),
    )
    ninth = Edition.objects.get(number=9)
    shift = rehearsal.start_date - ninth.start_date
    assert [
        (s.slug, s.title, timezone.localtime(s.starts_at, SEOUL) - shift)
        for s in rehearsal.sessions.order_by("starts_at")
    ] == [
        (s.slug, s.title, timezone.localtime(s.starts_at, SEOUL))
        for s in ninth.sessions.order_by("starts_at")
    ]
    assert rehearsal.projects.count() == 6
    assert rehearsal.contacts.count() == 2
    # Open for registration on the day it was loaded, with every consent text in place.
    assert rehearsal.registration_is_open(now=dt.datetime(2031, 3, 5, 12, tzinfo=SEOUL))
    assert ConsentText.objects.filter(edition=rehearsal).count() == 4
    # Meeting slots on the meeting days, all ahead; sample participants listed on every side.
    slots = MeetingSlot.objects.filter(edition=rehearsal)
    assert slots.count() == 15 * 14  # 15 weekdays of fourteen 30-minute slots
    assert min(timezone.localtime(s.starts_at, SEOUL).date() for s in slots) == dt.date(2031, 3, 31)
    profiles = BusinessProfile.objects.filter(registration__edition=rehearsal, listed=True)
    assert sorted(set(profiles.values_list("side", flat=True))) == [
        "company",
        "financier",
        "project_owner",
    ]
    assert set(profiles.values_list("registration__is_sample", flat=True)) == {True}


@pytest.mark.django_db
def test_loading_the_demo_again_once_the_rehearsal_has_come_moves_it_ahead_again():
    first = load_demo_forum(today=dt.date(2031, 3, 5))
    assert load_demo_forum(today=dt.date(2031, 3, 24)).start_date == first.start_date
    moved = load_demo_forum(today=dt.date(2031, 3, 25))
    assert moved.pk == first.pk
    assert moved.start_date == dt.date(2031, 4, 8)
    first_session = moved.sessions.order_by("starts_at").first()
    assert timezone.localtime(first_session.starts_at, SEOUL).date() == dt.date(2031, 4, 8)
    assert timezone.localtime(
        MeetingSlot.objects.filter(edition=moved).earliest("starts_at").starts_at, SEOUL
    ).date() == dt.date(2031, 4, 14)


@pytest.mark.django_db
def test_a_demo_database_with_the_ninth_forum_current_gets_the_rehearsal_current():
    ninth = load_demo_forum(today=dt.date(2031, 3, 5)) and Edition.objects.get(number=9)
    make_edition_current(edition=ninth)
    assert load_demo_forum(today=dt.date(2031, 3, 5)).is_current
    assert list(Edition.objects.filter(is_current=True).values_list("slug", flat=True)) == [
        "rehearsal"
    ]


@pytest.mark.django_db
def test_the_rehearsal_has_example_streams_and_one_session_with_its_recording_and_slides(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    rehearsal = load_demo_forum()
    load_demo_forum()  # again: nothing more
    sessions = list(rehearsal.sessions.order_by("starts_at"))
    streams = SessionStream.objects.filter(session__edition=rehearsal)
    assert streams.count() == 2 * len(sessions)
    assert all(
        url.startswith("https://stream.example.org/")
        for url in streams.values_list("url", flat=True)
    )
    assert not SessionStream.objects.filter(session__edition__number=9).exists()
    first = sessions[0]
    recording = SessionRecording.objects.get()
    material = SessionMaterial.objects.get()
    assert (recording.session, material.session) == (first, first)
    assert material.title == "Sample slides (example material)"
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Recordings and materials" in page and "Sample slides (example material)" in page
    download = client.get(material.get_absolute_url())
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.4")
    download.close()
    with material.file.open("rb") as pdf:
        validate_material_file(pdf)
