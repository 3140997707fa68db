"""The wording staff may give an email: what it may hold (checked on save), and the shipped
wording written out as editable text in a language.

An edited subject or text is Django template text restricted to the kind's placeholders
(`{{ name }}`, a few filters) and `{% if %}` / `{% elif %}` / `{% else %}` / `{% endif %}`: no
other tag (no `load`, `include` or `debug`, which could read what an email must not show), no
translation tags (each language has its own text).
"""

import re

from django.core.exceptions import ValidationError
from django.template import Engine, TemplateSyntaxError
from django.template.base import Lexer, Parser, TokenType, Variable, VariableDoesNotExist
from django.template.loader import get_template
from django.utils import translation
from django.utils.translation import gettext as _

from common.emails import email_kind

# What is left of a tag the lexer couldn't close: it would swallow what follows the text.
UNCLOSED = re.compile(r"\{[{%#]")
TAGS = frozenset({"if", "elif", "else", "endif"})
FILTERS = frozenset({"default", "upper", "lower", "capfirst", "title"})
# Words of an {% if %} condition that are not placeholders.
OPERATORS = frozenset({"and", "or", "not", "in", "is", "==", "!=", "<", ">", "<=", ">="})


def check_wording(kind: str, text: str) -> None:
    """Raises a ValidationError naming each problem: a tag or filter that isn't allowed, a
    placeholder the kind doesn't have, broken template syntax."""
    placeholders = set(email_kind(kind).placeholders)
    errors: list[ValidationError] = []
    unknown: set[str] = set()
    parser = _parser()
    for token in Lexer(text).tokenize():
        try:
            if token.token_type == TokenType.TEXT and UNCLOSED.search(token.contents):
                raise ValueError(_("A {{, {% or {# is not closed (}}, %} or #})."))
            if token.token_type == TokenType.BLOCK:
                unknown |= _tag_names(token, parser)
            elif token.token_type == TokenType.VAR:
                unknown |= _names(parser.compile_filter(token.contents))
        except (TemplateSyntaxError, ValueError) as error:
            errors.append(ValidationError(str(error), code="syntax"))
    unknown -= placeholders
    if unknown:
        errors.append(
            ValidationError(
                _("This email has no placeholder %(unknown)s. It has: %(known)s.")
                % {
                    "unknown": ", ".join(f"{{{{ {name} }}}}" for name in sorted(unknown)),
                    "known": ", ".join(f"{{{{ {name} }}}}" for name in sorted(placeholders)),
                },
                code="placeholder",
            )
        )
    if not errors:
        try:
            Engine.get_default().from_string(text)
        except TemplateSyntaxError as error:
            errors.append(ValidationError(str(error), code="syntax"))
    if errors:
        raise ValidationError(errors)


def _parser() -> Parser:
    engine = Engine.get_default()
    return Parser([], engine.template_libraries, engine.template_builtins)


def _tag_names(token, parser: Parser) -> set[str]:
    """The placeholders an allowed tag reads; a tag that isn't allowed is refused."""
    words = token.split_contents()
    tag = words[0] if words else ""
    if tag not in TAGS:
        raise ValueError(
            _(
                "The tag {%% %(tag)s %%} can't be used in an email: only {%% if %%}, "
                "{%% elif %%}, {%% else %%} and {%% endif %%}."
            )
            % {"tag": tag}
        )
    names: set[str] = set()
    for word in words[1:]:
        if word not in OPERATORS:
            names |= _names(parser.compile_filter(word))
    return names


def _names(expression) -> set[str]:
    """The placeholders a `value|filter:arg` expression reads; other filters are refused."""
    names = _variable_names(expression.var)
    for function, args in expression.filters:
        name = getattr(function, "_filter_name", "")
        if name not in FILTERS:
            raise ValueError(
                _("The filter |%(filter)s can't be used in an email: only %(allowed)s.")
                % {"filter": name, "allowed": ", ".join(f"|{f}" for f in sorted(FILTERS))}
            )
        for is_variable, value in args:
            if is_variable:
                names |= _variable_names(value)
    return names


def _variable_names(value) -> set[str]:
    if not isinstance(value, Variable) or value.literal is not None:
        return set()  # a quoted string or a number
    try:
        # True, False, None: literals the template language knows.
        value.resolve({})
    except VariableDoesNotExist:
        return {value.lookups[0]}
    return set()


def shipped_wording(kind: str, language: str) -> tuple[str, str]:
    """The shipped subject and text of `kind` in `language`, as text staff can edit: the
    translated sentences with their placeholders and conditions, the tags gone."""
    source = get_template(email_kind(kind).template).template.source
    blocks = {"subject": [], "body": []}
    current: list[str] | None = None
    tokens = iter(Lexer(source).tokenize())
    with translation.override(language):
        for token in tokens:
            if token.token_type == TokenType.BLOCK:
                words = token.split_contents()
                if words[0] == "block":
                    current = blocks.get(words[1])
                elif words[0] == "endblock":
                    current = None
                elif current is None:
                    continue
                elif words[0] == "blocktranslate":
                    current.append(_translated_block(words, tokens))
                elif words[0] == "translate":
                    current.append(_(Variable(words[1]).literal))
                elif words[0] in TAGS:
                    current.append(f"{{% {token.contents} %}}")
            elif current is not None and token.token_type in (TokenType.TEXT, TokenType.VAR):
                current.append(
                    token.contents
                    if token.token_type == TokenType.TEXT
                    else f"{{{{ {token.contents} }}}}"
                )
    subject = " ".join("".join(blocks["subject"]).split())
    body = "\n".join(line.strip() for line in "".join(blocks["body"]).strip().splitlines())
    return subject, body


def _translated_block(words: list[str], tokens) -> str:
    """One {% blocktranslate %} … {% endblocktranslate %}: its message in the active language,
    each %(var)s written back as the placeholder it stands for."""
    trimmed = "trimmed" in words
    aliases = {}
    if "with" in words:
        for pair in words[words.index("with") + 1 :]:
            if "=" in pair:
                alias, value = pair.split("=", 1)
                aliases[alias] = value
    parts, names = [], []
    for token in tokens:
        if token.token_type == TokenType.BLOCK:
            break  # {% endblocktranslate %}: the shipped templates use no plural forms
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents.replace("%", "%%"))
        elif token.token_type == TokenType.VAR:
            parts.append(f"%({token.contents})s")
            names.append(token.contents)
    message = "".join(parts)
    if trimmed:
        message = translation.trim_whitespace(message)
    return _(message) % {name: f"{{{{ {aliases.get(name, name)} }}}}" for name in names}
