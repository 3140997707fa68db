"""The kinds of email: each declared once with its template, rendered by `render_email` in both
languages from its placeholders alone."""

import re

import pytest
from django.template.base import TokenType, VariableNode
from django.template.defaulttags import IfNode
from django.template.loader import get_template
from django.templatetags.i18n import BlockTranslateNode

from common.emails import EmailKind, email_kinds, render_email

HANGUL = re.compile(r"[\uac00-\ud7a3]")
KINDS = sorted(email_kinds())
# Kinds that carry another email whole (the test of an edited email): its greeting is inside.
WRAPPERS = {"mail_template_test"}


def sample(kind: EmailKind) -> dict:
    """Each placeholder with a value that shows where it lands; yes/no ones are yes."""
    values = {name: f"⟨{name}⟩" for name in kind.placeholders}
    for flag in ("active", "booked", "waiting", "marketing"):
        if flag in values:
            values[flag] = True
    return values


def _condition_names(condition):
    if condition is None:
        return
    if hasattr(condition, "value"):  # a literal or a variable
        var = getattr(condition.value, "var", None)
        if hasattr(var, "lookups") and var.lookups:
            yield var.lookups[0]
    for part in (getattr(condition, "first", None), getattr(condition, "second", None)):
        if part is not None:
            yield from _condition_names(part)


def names_used(nodelist, local=frozenset()):
    """Every variable a template reads (its first part: `request` of `request.message`)."""
    for node in nodelist:
        if isinstance(node, VariableNode):
            var = node.filter_expression.var
            if hasattr(var, "lookups") and var.lookups[0] not in local:
                yield var.lookups[0]
        elif isinstance(node, BlockTranslateNode):
            inner = set(node.extra_context)
            for expression in node.extra_context.values():
                if hasattr(expression.var, "lookups"):
                    yield expression.var.lookups[0]
            for token in node.singular:
                if token.token_type == TokenType.VAR and token.contents not in inner | local:
                    yield token.contents
        elif isinstance(node, IfNode):
            for condition, _nodes in node.conditions_nodelists:
                yield from _condition_names(condition)
        for attribute in getattr(node, "child_nodelists", ()):
            if not isinstance(node, IfNode) or attribute != "nodelist":
                yield from names_used(getattr(node, attribute, None) or [], local)
        if isinstance(node, IfNode):
            for _condition, nodes in node.conditions_nodelists:
                yield from names_used(nodes, local)


def test_every_kind_has_its_own_template_in_the_kinds_folder():
    for name, kind in email_kinds().items():
        assert kind.template == f"emails/kinds/{name}.txt"
        get_template(kind.template)  # exists and parses


@pytest.mark.parametrize("name", KINDS)
def test_a_template_reads_only_its_declared_placeholders(name):
    kind = email_kinds()[name]
    template = get_template(kind.template).template
    assert set(names_used(template.nodelist)) <= set(kind.placeholders)


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_renders_in_english_and_in_korean_from_the_catalogue(name):
    kind = email_kinds()[name]
    english = render_email(name, sample(kind), "en")
    korean = render_email(name, sample(kind), "ko")
    assert english.subject and english.paragraphs
    if name not in WRAPPERS:
        assert english.paragraphs[0] == "Dear ⟨name⟩,"
        assert korean.paragraphs[0] == "⟨name⟩ 님, 안녕하십니까."
    # Every paragraph of the template's own words is Korean (a placeholder alone is not words).
    values = set(sample(kind).values())
    for paragraph in [korean.subject, *korean.paragraphs, korean.action_label, *korean.notes]:
        assert paragraph in values or paragraph == "" or HANGUL.search(paragraph), paragraph
    assert (english.action_label == "") == (korean.action_label == "")


def test_a_value_for_an_undeclared_placeholder_is_refused():
    with pytest.raises(ValueError, match="has no placeholder"):
        render_email("confirm", {"name": "Kim", "password": "x"}, "en")


def test_a_template_text_can_stand_in_for_the_kinds_file():
    """What an email edited by staff will use: the same blocks and placeholders."""
    source = (
        "{% block subject %}Welcome, {{ name }}{% endblock %}"
        "{% block body %}Hello {{ name }}.\n\nSee you at the {{ edition }}.{% endblock %}"
    )
    message = render_email(
        "rejected", {"name": "Kim & Lee", "edition": "Forum"}, "en", source=source
    )
    assert message.subject == "Welcome, Kim & Lee"
    assert message.paragraphs == ["Hello Kim & Lee.", "See you at the Forum."]
    # The blocks it leaves out (the button's label, the notes) stay the kind's file's.
    edited = render_email("confirmed", {"days": 7}, "en", source=source)
    assert edited.subject == "Welcome,"
    assert edited.action_label == "View or change my registration"
    assert edited.notes == ["This link is personal and works for 7 days."]
    with pytest.raises(ValueError, match="unknown block 'footer'"):
        render_email("rejected", {}, "en", source="{% block footer %}x{% endblock %}")
