"""A profile's card, written in Python, reads exactly as the template it replaced rendered it."""

import pytest
from django.template import Context, Template
from django.utils import translation

from meetings.choices import ProfileSide
from meetings.templatetags.meeting_cards import profile_card
from tests.factories import BusinessProfileFactory, ProjectFactory, SectorFactory

pytestmark = pytest.mark.django_db

# templates/meetings/profile_card.html as it was before the card was written in Python.
FORMER_TEMPLATE = """{% load i18n usertext %}
<h3 class="h5 mb-1">{{ card.registration.organisation_both|bdi }}</h3>
<p class="mb-1">{{ card.registration.name_both|bdi }}, {{ card.registration.job_title|bdi }} · {{ card.registration.country.name }} · <span class="badge text-bg-secondary">{{ card.get_side_display }}</span></p>
{% if card.description %}<p class="mb-1"><bdi>{{ card.description|truncatewords:40 }}</bdi></p>{% endif %}
<p class="mb-0 small">
  {% for sector in card.sectors.all %}<span class="badge text-bg-light border">{{ sector.display_name }}</span> {% endfor %}
  {% for project in card.projects_presented.all %}<span class="badge text-bg-info">{% blocktranslate with title=project.title %}presents {{ title }}{% endblocktranslate %}</span> {% endfor %}
</p>
"""  # noqa: E501


@pytest.fixture
def cards(edition):
    tricky = BusinessProfileFactory(
        registration__edition=edition,
        registration__organisation="<b>Acme</b> & Sons \u202e",
        registration__organisation_en="Acme & Sons",
        registration__name="김민준",
        registration__name_latin="Kim <Min-jun>",
        registration__job_title='R&D "lead"',
        registration__country="KR",
        side=ProfileSide.PROJECT_OWNER,
        description=" ".join(f"word{n}<i>&" for n in range(60)),
    )
    tricky.sectors.set([SectorFactory(slug="rail", name="Rail & <roads>", name_ko="철도")])
    tricky.projects_presented.set(
        [
            ProjectFactory(edition=edition, title="Port <expansion> & more", country="VN"),
            ProjectFactory(edition=edition, title="Smart grid", country="LA"),
        ]
    )
    plain = BusinessProfileFactory(
        registration__edition=edition, registration__job_title="", description=""
    )
    sample = BusinessProfileFactory(registration__edition=edition, registration__is_sample=True)
    return [tricky, plain, sample]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_card_is_what_the_template_rendered(cards, language):
    former = Template(FORMER_TEMPLATE)
    with translation.override(language):
        for card in cards:
            assert profile_card(card) == former.render(Context({"card": card}))
