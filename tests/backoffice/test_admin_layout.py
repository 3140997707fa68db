"""The back office's own admin pages look and navigate like the rest of the admin: the admin's
breadcrumbs (a list, since Django 5 styles only `ol.breadcrumbs`), its sidebar with the back
office's pages on top, its forms style, in English and in Korean."""

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from backoffice.models import BulkEmail
from forum.admin_language import AdminLanguageMiddleware

pytestmark = pytest.mark.django_db


def crumbs(response) -> list[str]:
    """The breadcrumbs as a reader sees them, or [] when the page has none the admin styles."""
    body = response.content.decode()
    found = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', body, re.S)
    if not found:
        return []
    items = re.findall(r"<li[^>]*>(.*?)</li>", found.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def current_crumb(response) -> str:
    body = response.content.decode()
    return re.search(r'<li aria-current="page">(.*?)</li>', body, re.S).group(1).strip()


@pytest.fixture
def pages(open_edition):
    bulk = BulkEmail.objects.create(edition=open_edition, subject_en="News", body_en="Hello")
    return {
        reverse("backoffice:dashboard"): ["Home", "Back office", "Dashboard"],
        reverse("backoffice:export"): ["Home", "Back office", "Export a list"],
        "/admin/registrations/invitee/import/": ["Home", "Registrations", "Invitees", "Import"],
        "/admin/forum/project/import/": ["Home", "Programme", "Projects", "Import"],
        f"/admin/backoffice/bulkemail/{bulk.pk}/send/": [
            "Home",
            "Back office",
            "Bulk emails",
            str(bulk),
            "Preview and send",
        ],
        "/admin/meetings/meeting/day/": [
            "Home",
            "Business meetings",
            "Meetings",
            "Meetings by day",
        ],
        "/admin/meetings/schedulerun/add/": [
            "Home",
            "Business meetings",
            "Schedule runs",
            "Run the scheduler",
        ],
    }


def test_every_custom_admin_page_has_the_admins_breadcrumbs_and_sidebar(admin_client, pages):
    for url, expected in pages.items():
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert crumbs(response)[:-1] == expected[:-1], url
        assert current_crumb(response), url
        body = response.content.decode()
        assert 'id="nav-sidebar"' in body, url
        # The back office's own pages are in the sidebar, as the models are.
        assert 'id="nav-backoffice-pages"' in body, url
        assert "/static/admin/css/forms.css" in body, url


def test_the_dashboard_and_export_breadcrumbs_read_in_full(admin_client, pages):
    assert crumbs(admin_client.get(reverse("backoffice:dashboard"))) == [
        "Home",
        "Back office",
        "Dashboard",
    ]
    export = admin_client.get(reverse("backoffice:export"))
    assert crumbs(export) == ["Home", "Back office", "Export a list"]
    # The sidebar marks where staff are, as it does for a model's list.
    assert re.search(
        r'<a href="/admin/backoffice/export/" aria-current="page">Export a list</a>',
        export.content.decode(),
    )


def test_the_start_next_edition_page_has_breadcrumbs(admin_client, edition):
    response = admin_client.post(
        "/admin/forum/edition/", {"action": "start_next", "_selected_action": [edition.pk]}
    )
    assert crumbs(response) == ["Home", "Programme", "Editions", current_crumb(response)]


def test_the_breadcrumbs_and_sidebar_are_korean_on_a_korean_admin(admin_client, pages):
    response = admin_client.get(reverse("backoffice:dashboard"), HTTP_ACCEPT_LANGUAGE="ko")
    assert crumbs(response) == ["홈", "백오피스", "대시보드"]
    assert "백오피스 페이지" in response.content.decode()


def test_staff_switch_the_admin_to_korean_and_back(admin_client):
    page = admin_client.get(reverse("backoffice:dashboard"))
    assert 'lang="en"' in page.content.decode()[:200]
    assert '<button type="submit" name="language" value="ko" lang="ko">한국어</button>' in (
        page.content.decode()
    )

    switched = admin_client.post(
        "/i18n/setlang/", {"language": "ko", "next": reverse("backoffice:dashboard")}
    )
    assert switched["Location"] == reverse("backoffice:dashboard")  # the same page, same address
    korean = admin_client.get(switched["Location"])
    assert crumbs(korean) == ["홈", "백오피스", "대시보드"]
    assert "English</button>" in korean.content.decode()

    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    assert crumbs(admin_client.get(reverse("backoffice:dashboard")))[0] == "Home"


def test_the_public_site_keeps_its_address_for_the_language():
    """The browser or cookie chooses the admin's language only: `/register/` stays English."""
    seen = []
    middleware = AdminLanguageMiddleware(lambda request: seen.append(translation.get_language()))
    with translation.override("en"):
        middleware(RequestFactory().get("/register/", HTTP_ACCEPT_LANGUAGE="ko"))
        middleware(RequestFactory().get("/admin/", HTTP_ACCEPT_LANGUAGE="ko"))
    assert seen == ["en", "ko"]
