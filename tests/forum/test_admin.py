"""The programme's back office: staff groups, lists with search and filters, inlines."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.factories import SessionFactory, SessionSpeakerFactory


def make_staff(group: str):
    user = get_user_model().objects.create_user(
        username=f"{group}-user", password="pw", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.django_db
def test_groups_are_created_with_their_permissions():
    organiser = set(
        Group.objects.get(name="Organiser").permissions.values_list("codename", flat=True)
    )
    staff = set(Group.objects.get(name="Staff").permissions.values_list("codename", flat=True))
    assert {"add_session", "change_session", "delete_session", "change_edition"} <= organiser
    assert "view_session" in staff
    assert "change_session" not in staff and "delete_edition" not in staff


@pytest.mark.django_db
def test_organiser_searches_sessions_by_speaker_name(client):
    client.force_login(make_staff("Organiser"))
    wanted = SessionSpeakerFactory(speaker__name="Yeap Samnang", session__title="Keynotes").session
    SessionFactory(edition=wanted.edition, title="Closing")
    response = client.get("/admin/forum/session/", {"q": "Samnang"})
    assert response.status_code == 200
    assert [s.title for s in response.context["cl"].result_list] == ["Keynotes"]


@pytest.mark.django_db
def test_session_change_page_has_speaker_stream_and_project_inlines(client):
    client.force_login(make_staff("Organiser"))
    session = SessionSpeakerFactory(speaker__name="Lee Seong-ho").session
    response = client.get(f"/admin/forum/session/{session.pk}/change/")
    assert response.status_code == 200
    assert "Lee Seong-ho" in response.text
    prefixes = [formset.formset.prefix for formset in response.context["inline_admin_formsets"]]
    assert prefixes == ["appearances", "streams", "materials", "recordings", "projects"]


@pytest.mark.django_db
def test_staff_group_can_read_but_not_change_the_programme(client):
    client.force_login(make_staff("Staff"))
    session = SessionFactory(title="Opening ceremony")
    assert "Opening ceremony" in client.get("/admin/forum/session/").text
    response = client.post(
        f"/admin/forum/session/{session.pk}/change/", {"title": "Hacked", "kind": "opening"}
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.title == "Opening ceremony"
