"""Content in English and Korean (django-modeltranslation): Korean pages, marked fallbacks, the
admin's side-by-side fields and the migration of the hand-made Korean fields."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import EditionFactory, SectorFactory, SessionFactory
from tests.forum.test_admin import make_staff
from tests.forum.test_views import text_of


def test_korean_pages_show_the_organisations_korean_names(client, demo_forum):
    home = text_of(client.get("/ko/"))
    assert "주최 한-아세안센터" in home
    assert "공동 주최 해외건설협회" in home
    assert "외교부" in home and "아세안 사무국" in home
    assert "코로나19 이후 시대의 아세안 연계성과 한-아세안 파트너십" in home
    assert "김수정, 선임 담당관 (무역투자부)" in home
    speakers = text_of(client.get("/ko/speakers/"))
    assert "얍 삼낭" in speakers and "주아세안 캄보디아 대표부" in speakers
    projects = text_of(client.get("/ko/projects/"))
    assert "예시: 스마트 상수도망" in projects and "지방수도청(예시)" in projects
    assert "Sample: smart water network" not in projects


def test_english_pages_keep_the_english_content(client, demo_forum):
    home = text_of(client.get("/"))
    assert "Organiser ASEAN-Korea Centre" in home
    assert "한-아세안센터" not in home


def test_the_english_fallback_is_marked_on_korean_pages(client, db):
    edition = EditionFactory(title="10th ASEAN Connectivity Forum")
    SessionFactory(edition=edition, title="Site visit", title_ko="", slug="site-visit")
    SessionFactory(edition=edition, title="Opening", title_ko="개회식", slug="opening")
    korean = client.get("/ko/programme/").text
    assert '<a href="/ko/programme/site-visit/"><span lang="en">Site visit</span></a>' in korean
    assert '<a href="/ko/programme/opening/">개회식</a>' in korean
    english = client.get("/programme/").text
    assert '<a href="/programme/site-visit/">Site visit</a>' in english
    assert 'lang="en">Site visit' not in english


def test_sector_filter_lists_the_sectors_in_the_pages_language(client, db):
    EditionFactory()
    SectorFactory(slug="energy", name_en="Energy", name_ko="에너지")
    assert '<option value="energy">에너지</option>' in client.get("/ko/programme/").text
    assert '<option value="energy">Energy</option>' in client.get("/programme/").text


@pytest.mark.django_db
def test_the_admin_edits_both_languages_side_by_side(client):
    client.force_login(make_staff("Organiser"))
    session = SessionFactory(title="Opening")
    page = client.get(f"/admin/forum/session/{session.pk}/change/").text
    assert 'name="title_en"' in page and 'name="title_ko"' in page
    assert 'name="description_en"' in page and 'name="description_ko"' in page
    sector_page = client.post(
        "/admin/forum/sector/add/", {"name_en": "Mining", "name_ko": "광업", "slug": "mining"}
    )
    assert sector_page.status_code == 302
    from forum.models import Sector

    assert Sector.objects.filter(slug="mining").values_list("name_en", "name_ko").get() == (
        "Mining",
        "광업",
    )


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_korean_titles_and_fills_the_english_columns():
    executor = MigrationExecutor(connection)
    executor.migrate([("forum", "0003_edition_content_changed_at")])
    apps = executor.loader.project_state([("forum", "0003_edition_content_changed_at")]).apps
    old_edition = apps.get_model("forum", "Edition").objects.create(
        number=9,
        slug="ninth",
        title="9th ASEAN Connectivity Forum",
        title_ko="제9회 아세안 연계성 포럼",
        start_date=dt.date(2022, 1, 18),
        end_date=dt.date(2022, 1, 19),
    )
    apps.get_model("forum", "Sector").objects.create(slug="ict", name="ICT", name_ko="정보통신")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("forum", "0005_bilingual_content_english")])
    apps = executor.loader.project_state([("forum", "0005_bilingual_content_english")]).apps
    edition = apps.get_model("forum", "Edition").objects.get(pk=old_edition.pk)
    assert (edition.title_en, edition.title_ko) == (
        "9th ASEAN Connectivity Forum",
        "제9회 아세안 연계성 포럼",
    )
    sector = apps.get_model("forum", "Sector").objects.get(slug="ict")
    assert (sector.name_en, sector.name_ko) == ("ICT", "정보통신")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
