"""Starting the next edition from one (never copying people) and switching the current one."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from common.models import AuditLog
from common.services.audit import action_label
from forum.demo import load_demo_programme
from forum.editions import make_edition_current, suggested_first_day
from forum.models import ContactPerson, Edition, Session, SessionSpeaker
from meetings.demo import load_demo_meetings
from meetings.models import MeetingSettings
from registrations.demo import load_demo_consents
from registrations.models import ConsentText, Registration, RegistrationSettings
from tests.factories import EditionFactory, RegistrationFactory

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")


def messages_of(response) -> list[str]:
    return [
        re.sub(r"\s+", " ", m).strip()
        for m in re.findall(r'<li class="[^"]*">(.*?)</li>', response.text, re.S)
    ]


@pytest.fixture
def organiser_client(client, db):
    user = get_user_model().objects.create_superuser("organiser", "o@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def ninth(db):
    # The 9th forum alone and current, as when it was the newest edition.
    demo_forum = load_demo_programme()
    make_edition_current(edition=demo_forum)
    load_demo_consents(demo_forum)
    load_demo_meetings(demo_forum)
    RegistrationSettings.objects.update_or_create(
        edition=demo_forum, defaults={"confirmation_hours": 36, "approval_categories": ["media"]}
    )
    demo_forum.registration_opens = dt.datetime(2021, 12, 1, 9, 0, tzinfo=SEOUL)
    demo_forum.registration_closes = dt.datetime(2022, 1, 14, 18, 0, tzinfo=SEOUL)
    demo_forum.save()
    RegistrationFactory(edition=demo_forum)
    return demo_forum


def test_the_action_offers_the_next_editions_identity(organiser_client, ninth):
    response = organiser_client.post(
        "/admin/forum/edition/", {"action": "start_next", "_selected_action": [ninth.pk]}
    )
    page = response.text
    assert response.status_code == 200
    # The first day: the same weekday, whole years of 52 weeks on, ahead of today.
    first_day = dt.date(2023, 1, 17)
    while first_day <= timezone.localdate():
        first_day += dt.timedelta(weeks=52)
    assert 'value="10"' in page and f'value="10th-acf-{first_day.year}"' in page
    assert f'value="{first_day.isoformat()}"' in page


def test_the_suggested_first_day_lies_ahead_on_the_same_weekday(db):
    source = EditionFactory(start_date=dt.date(2022, 1, 18), end_date=dt.date(2022, 1, 19))
    assert suggested_first_day(source, today=dt.date(2022, 3, 1)) == dt.date(2023, 1, 17)
    assert suggested_first_day(source, today=dt.date(2026, 12, 3)) == dt.date(2027, 1, 12)
    assert suggested_first_day(source, today=dt.date(2027, 1, 12)) == dt.date(2028, 1, 11)


def test_starting_the_next_edition_copies_the_set_up_and_no_people(organiser_client, ninth):
    Session.objects.filter(edition=ninth, capacity__isnull=False).update(
        seats_taken=1, last_waiting_place=3
    )
    response = organiser_client.post(
        "/admin/forum/edition/",
        {
            "action": "start_next",
            "_selected_action": [ninth.pk],
            "apply": "1",
            "number": "10",
            "title": "10th ASEAN Connectivity Forum",
            "title_ko": "제10회 아세안 연계성 포럼",
            "slug": "10th-acf-2023",
            "start_date": "2023-01-17",
        },
        follow=True,
    )
    tenth = Edition.objects.get(number=10)
    assert response.redirect_chain[-1][0] == f"/admin/forum/edition/{tenth.pk}/change/"
    assert any("no attendees or speakers" in message for message in messages_of(response))
    # What is left to do, each step linked to where it is done.
    page = response.text
    assert "Left to do:" in page
    assert f'href="/admin/meetings/meetingsettings/?edition__id__exact={tenth.pk}"' in page
    assert f'href="/admin/forum/session/?edition__id__exact={tenth.pk}"' in page
    assert f'href="/admin/forum/edition/?id__exact={tenth.pk}"' in page
    steps = organiser_client.get(f"/admin/meetings/meetingsettings/?edition__id__exact={tenth.pk}")
    assert steps.status_code == 200 and "Generate the slots" in steps.text
    listed = organiser_client.get(f"/admin/forum/edition/?id__exact={tenth.pk}")
    assert "10th ASEAN Connectivity Forum" in listed.text and "1 edition" in listed.text
    assert (tenth.title_en, tenth.title_ko, tenth.is_current) == (
        "10th ASEAN Connectivity Forum",
        "제10회 아세안 연계성 포럼",
        False,
    )
    assert (tenth.start_date, tenth.end_date) == (dt.date(2023, 1, 17), dt.date(2023, 1, 18))
    assert tenth.registration_closes == dt.datetime(2023, 1, 13, 18, 0, tzinfo=SEOUL)
    assert (tenth.meetings_start, tenth.meetings_end) == (
        ninth.meetings_start + dt.timedelta(days=364),
        ninth.meetings_end + dt.timedelta(days=364),
    )
    # Sessions at the same local times, 364 days on, with their topics.
    old = list(Session.objects.filter(edition=ninth).order_by("starts_at", "pk"))
    new = list(Session.objects.filter(edition=tenth).order_by("starts_at", "pk"))
    assert [(s.slug, s.title, s.capacity) for s in new] == [
        (s.slug, s.title, s.capacity) for s in old
    ]
    assert {(s.seats_taken, s.last_waiting_place) for s in new} == {(0, 0)}  # seats all free
    assert [s.starts_at.astimezone(SEOUL).time() for s in new] == [
        s.starts_at.astimezone(SEOUL).time() for s in old
    ]
    assert new[0].starts_at - old[0].starts_at == dt.timedelta(days=364)
    assert [sorted(s.sectors.values_list("slug", flat=True)) for s in new] == [
        sorted(s.sectors.values_list("slug", flat=True)) for s in old
    ]
    assert set(tenth.focus_areas.all()) == set(ninth.focus_areas.all())
    assert sorted(tenth.partners.values_list("organisation__name", "role")) == sorted(
        ninth.partners.values_list("organisation__name", "role")
    )

    # Consent texts: the same wording and versions; registration settings too.
    def texts(edition):
        return sorted(
            ConsentText.objects.filter(edition=edition).values_list(
                "kind", "version", "text_en", "text_ko", "requirement"
            )
        )

    assert texts(tenth) == texts(ninth) != []
    settings = RegistrationSettings.objects.get(edition=tenth)
    assert (settings.confirmation_hours, settings.approval_categories) == (36, ["media"])
    old_meetings = MeetingSettings.objects.get(edition=ninth)
    meetings = MeetingSettings.objects.get(edition=tenth)
    assert (meetings.window_start, meetings.slot_minutes) == (
        old_meetings.window_start + dt.timedelta(days=364),
        old_meetings.slot_minutes,
    )
    # Never people.
    assert Registration.objects.filter(edition=tenth).count() == 0
    assert SessionSpeaker.objects.filter(session__edition=tenth).count() == 0
    # The contacts are the organiser's staff: copied.
    assert sorted(ContactPerson.objects.filter(edition=tenth).values_list("email", "purpose")) == (
        sorted(ContactPerson.objects.filter(edition=ninth).values_list("email", "purpose"))
    )
    assert ContactPerson.objects.filter(edition=tenth).count() == 2
    assert Registration.objects.filter(edition=ninth).count() >= 1  # the 9th keeps its people


def test_a_taken_number_or_slug_is_refused_with_what_was_typed(organiser_client, ninth):
    response = organiser_client.post(
        "/admin/forum/edition/",
        {
            "action": "start_next",
            "_selected_action": [ninth.pk],
            "apply": "1",
            "number": "9",
            "title": "Another",
            "slug": ninth.slug,
            "start_date": "2023-01-17",
        },
    )
    assert response.status_code == 200
    assert "There is already an edition with this number." in response.text
    assert "There is already an edition with this slug." in response.text
    assert 'value="Another"' in response.text
    assert Edition.objects.count() == 1


def test_making_an_edition_current_switches_in_one_step(organiser_client, db):
    ninth = EditionFactory(number=9, is_current=True)
    tenth = EditionFactory(number=10, is_current=False, title="10th forum")
    response = organiser_client.post(
        "/admin/forum/edition/",
        {"action": "make_current", "_selected_action": [tenth.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert f"10th forum is now the current edition, instead of {ninth.title}." in messages_of(
        response
    )
    assert list(Edition.objects.filter(is_current=True)) == [tenth]


def test_the_edition_form_does_not_offer_a_current_tick_box(organiser_client, db):
    edition = EditionFactory()
    page = organiser_client.get(f"/admin/forum/edition/{edition.pk}/change/").text
    assert 'name="is_current"' not in page


def test_starting_and_switching_editions_are_in_the_audit_trail(organiser_client, ninth):
    """Issue 16, defect 7: "every service records its change" held for every service but these
    two; now the trail says who started the next edition from which, and who made it current."""
    organiser_client.post(
        "/admin/forum/edition/",
        {
            "action": "start_next",
            "_selected_action": [ninth.pk],
            "apply": "1",
            "number": "10",
            "title": "10th ASEAN Connectivity Forum",
            "title_ko": "제10회 아세안 연계성 포럼",
            "slug": "10th-acf-2023",
            "start_date": "2023-01-17",
        },
    )
    tenth = Edition.objects.get(number=10)
    organiser_client.post(
        "/admin/forum/edition/", {"action": "make_current", "_selected_action": [tenth.pk]}
    )

    entries = AuditLog.objects.filter(content_type__model="edition", object_id=tenth.pk)
    assert list(
        entries.order_by("pk").values_list("action", "actor__username", "edition_id", "details")
    ) == [
        ("edition.started", "organiser", tenth.pk, {"source": ninth.pk}),
        ("edition.made_current", "organiser", tenth.pk, {"previous": ninth.pk}),
    ]
    with translation.override("ko"):
        assert action_label("edition.made_current") == "현재 회차로 지정"
