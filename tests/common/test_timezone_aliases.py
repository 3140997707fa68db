"""Legacy time-zone names (the zone database's links) read as the zone the forms offer (issue 17).

Browsers report some zones under their legacy names — Chromium says Asia/Saigon, Asia/Rangoon,
Asia/Calcutta — and the zone database keeps them as links (the `backward` file's, in the tzdata
package's tzdata.zi as `L target alias` lines). Every one of them is read as an offered zone
wherever a zone is read: the cookie, the forms, the stored registration.
"""

import datetime as dt
import re
import zoneinfo
from importlib import import_module, resources

import pytest
from django.apps import apps

from common.timezones import canonical_zone, offered_time_zones
from forum.middleware import VISITOR_TZ_COOKIE
from registrations.models import Registration
from tests.factories import RegistrationFactory, SessionFactory
from tests.registrations.data import form_data

INSTANTS = [
    dt.datetime(2022, 1, 18, 1, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2030, 1, 15, 0, 0, tzinfo=dt.UTC),
]


def backward_links() -> list[tuple[str, str]]:
    """(alias, target) of every link line of the packaged zone database, read independently."""
    table = resources.files("tzdata.zoneinfo").joinpath("tzdata.zi").read_text()
    return [tuple(line.split()[2:0:-1]) for line in table.splitlines() if line.startswith("L ")]


ASEAN_LEGACY = {
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Ujung_Pandang": "Asia/Makassar",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "ROK": "Asia/Seoul",
    "Singapore": "Asia/Singapore",
    "Etc/UTC": "UTC",
    "Zulu": "UTC",
}


def test_the_database_has_the_backward_links():
    links = dict(backward_links())
    assert len(links) > 200
    assert links["Asia/Saigon"] == "Asia/Ho_Chi_Minh"
    assert links["Asia/Rangoon"] == "Asia/Yangon"


def test_every_alias_of_the_zone_database_is_an_offered_zone_with_the_same_clock():
    offered = offered_time_zones()
    for alias, _target in backward_links():
        zone = canonical_zone(alias)
        assert zone in offered, alias
        for instant in INSTANTS:
            assert (
                instant.astimezone(zoneinfo.ZoneInfo(alias)).utcoffset()
                == instant.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
            ), (alias, zone, instant)


def test_legacy_asean_names_and_other_names():
    for alias, zone in ASEAN_LEGACY.items():
        assert canonical_zone(alias) == zone
    for zone in offered_time_zones():
        assert canonical_zone(zone) == zone
    # Fixed offsets and made-up names are no zone a form offers.
    assert [canonical_zone(name) for name in ("Etc/GMT-7", "Mars/Olympus", "", None)] == [None] * 4


def selected_zone(page: str) -> str:
    select = re.search(r'<select name="time_zone".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="([^"]*)" selected>', select).group(1)


@pytest.mark.django_db
def test_every_alias_in_the_cookie_is_detected_and_preselected_as_the_same_zone(
    client, open_edition
):
    SessionFactory(edition=open_edition)
    for alias, _target in backward_links():
        zone = canonical_zone(alias)
        client.cookies[VISITOR_TZ_COOKIE] = alias
        page = client.get("/register/").content.decode()
        assert selected_zone(page) == zone, alias
        if zone != "Asia/Seoul":
            assert f"your time ({zone})" in page, alias


@pytest.mark.django_db
def test_a_legacy_name_posted_by_the_forms_is_stored_as_the_offered_zone(client, open_edition):
    response = client.post("/register/", form_data(time_zone="Asia/Saigon"))
    assert response.status_code == 302
    assert Registration.objects.get().time_zone == "Asia/Ho_Chi_Minh"
    response = client.post("/timezone/", {"tz": "Asia/Rangoon", "next": "/"})
    assert response.cookies[VISITOR_TZ_COOKIE].value == "Asia/Yangon"


@pytest.mark.django_db
def test_stored_legacy_names_become_the_offered_zone(open_edition):
    saigon = RegistrationFactory(edition=open_edition)
    seoul = RegistrationFactory(edition=open_edition, time_zone="Asia/Seoul")
    Registration.objects.filter(pk=saigon.pk).update(time_zone="Asia/Saigon")
    migration = import_module("registrations.migrations.0018_canonical_time_zones")
    migration.canonical_time_zones(apps, None)
    saigon.refresh_from_db()
    seoul.refresh_from_db()
    assert (saigon.time_zone, seoul.time_zone) == ("Asia/Ho_Chi_Minh", "Asia/Seoul")
