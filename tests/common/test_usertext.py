"""`|bdi`: typed text isolated from the page around it (issue 17, point 9)."""

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load usertext %}" + source).render(Context(context))


def test_typed_text_is_escaped_and_isolated():
    assert render("{{ title|bdi }} · Viet Nam", title="Director\u202e <b>") == (
        "<bdi>Director\u202e &lt;b&gt;</bdi> · Viet Nam"
    )


def test_nothing_typed_gives_nothing():
    assert render("[{{ title|bdi }}]", title="") == "[]"
    assert render("[{{ title|bdi }}]", title=None) == "[]"


def test_it_isolates_a_name_inside_a_translated_sentence():
    source = (
        "{% load i18n %}{% blocktranslate with name=name|bdi %}With {{ name }}"
        "{% endblocktranslate %}"
    )
    assert render(source, name="<Lee>") == "With <bdi>&lt;Lee&gt;</bdi>"
