"""The long lists of the profile, directory and request forms: kept per process, always current."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.forms.profile import BusinessProfileForm
from meetings.forms.requests import DirectoryFilterForm, MeetingRequestForm
from tests.factories import BusinessProfileFactory, ProjectFactory, SectorFactory

pytestmark = pytest.mark.django_db

CHECKBOX = re.compile(
    r'<input type="checkbox" class="form-check-input" name="(\w+)" value="(\d+)" '
    r'id="(\w+)"( checked)?>\s*<label for="(\w+)" class="form-check-label">([^<]+)</label>'
)


def checkboxes(html: str, name: str) -> list[tuple[str, str, bool, str]]:
    return [
        (value, box_id, bool(checked), label)
        for field, value, box_id, checked, label_for, label in CHECKBOX.findall(html)
        if field == name and box_id == label_for
    ]


def reread_edition(profile):
    profile.registration.edition.refresh_from_db()
    return profile.registration


def test_each_form_ticks_its_own_projects_in_the_shared_list(edition):
    da_nang = ProjectFactory(edition=edition, country="VN", title="Da Nang smart city")
    ring_road = ProjectFactory(edition=edition, country="KH", title="Phnom Penh ring road")
    mine = BusinessProfileFactory(registration__edition=edition)
    mine.projects_of_interest.set([ring_road])
    theirs = BusinessProfileFactory(registration__edition=edition)
    theirs.projects_of_interest.set([da_nang])

    first = BusinessProfileForm(registration=reread_edition(mine), profile=mine)
    second = BusinessProfileForm(registration=reread_edition(theirs), profile=theirs)

    assert checkboxes(str(first["projects_of_interest"]), "projects_of_interest") == [
        (str(ring_road.pk), "id_projects_of_interest_0", True, "Phnom Penh ring road (Cambodia)"),
        (str(da_nang.pk), "id_projects_of_interest_1", False, "Da Nang smart city (Vietnam)"),
    ]
    assert [
        box[2] for box in checkboxes(str(second["projects_of_interest"]), "projects_of_interest")
    ] == [
        False,
        True,
    ]


def test_a_submitted_form_keeps_what_was_ticked_and_a_new_project_shows_at_once(edition):
    da_nang = ProjectFactory(edition=edition, country="VN", title="Da Nang smart city")
    profile = BusinessProfileFactory(registration__edition=edition)
    str(
        BusinessProfileForm(registration=reread_edition(profile), profile=profile)[
            "projects_presented"
        ]
    )

    metro = ProjectFactory(edition=edition, country="ID", title="Jakarta MRT")
    form = BusinessProfileForm(
        {"side": "company", "projects_presented": [str(metro.pk)], "website": "not a website"},
        registration=reread_edition(profile),
        profile=profile,
    )

    assert not form.is_valid()
    assert [
        (label, ticked)
        for _, _, ticked, label in checkboxes(str(form["projects_presented"]), "projects_presented")
    ] == [
        ("Jakarta MRT (Indonesia)", True),  # by country, then title
        ("Da Nang smart city (Vietnam)", False),
    ]
    assert da_nang.pk != metro.pk


def test_the_lists_are_read_once_per_process_until_the_programme_changes(edition):
    ProjectFactory(edition=edition, title="Da Nang smart city")
    SectorFactory(slug="energy", name="Energy")
    profile = BusinessProfileFactory(registration__edition=edition)
    registration = reread_edition(profile)

    def render_all() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            html = "".join(
                str(form[name])
                for form, names in [
                    (DirectoryFilterForm(edition=registration.edition), ["sector", "project"]),
                    (MeetingRequestForm(edition=registration.edition), ["project"]),
                ]
                for name in names
            )
        return len(captured), html

    first, html = render_all()
    again, same = render_all()
    assert (first, again, same) == (3, 0, html)
    assert '<option value="energy">Energy</option>' in html

    SectorFactory(slug="water", name="Water")
    registration = reread_edition(profile)
    changed, html = render_all()
    assert changed == 3
    assert '<option value="water">Water</option>' in html


def test_the_chosen_project_and_sector_are_selected(edition):
    project = ProjectFactory(edition=edition, title="Da Nang smart city")
    SectorFactory(slug="energy", name="Energy")
    form = DirectoryFilterForm({"sector": "energy", "project": str(project.pk)}, edition=edition)

    assert '<option value="energy" selected>Energy</option>' in str(form["sector"])
    assert f'<option value="{project.pk}" selected>Da Nang smart city (Vietnam)</option>' in str(
        form["project"]
    )
