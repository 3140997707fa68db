"""The kinds of email and the one function that renders them.

Each app declares its kinds in a list (`KINDS` in its `emails/` package) and names that list on
its AppConfig (`email_kinds = "registrations.emails.registrations.KINDS"`); nothing is registered
by importing a module. A kind is a name, one template and the placeholders the template may use:

    EmailKind(
        name="confirm",
        template="emails/kinds/confirm.txt",
        placeholders={"name": _("the recipient's name"), "edition": _("the forum's title")},
        context=confirm_context,  # (recipient, params) -> the placeholders' values, or None
    )

The template holds the subject and the text in `{% block subject %}`, `{% block body %}`
(paragraphs apart by a blank line), `{% block action %}` (the button's label) and
`{% block notes %}`, their words through `{% translate %}` / `{% blocktranslate %}`, so the
Korean catalogue translates them. `render_email(kind, context, language)` renders it in the
recipient's language; the outbox wraps the result in the plain-text and HTML layouts
(`templates/emails/message.txt|html`). Values that are not words — the link behind the button,
the sessions listed, attachments — travel in the context under `ACTION_URL`, `SESSIONS` and
`ATTACHMENTS`.

Staff may edit a kind's subject and text per edition and language (backoffice's mail
templates): an app names a function on its AppConfig (`email_sources`) that answers
(kind, recipient) with the edited template text, or None for the shipped one.
"""

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.utils import translation
from django.utils.module_loading import import_string

ACTION_URL = "action_url"
SESSIONS = "sessions"
ATTACHMENTS = "attachments"
RESERVED = frozenset({ACTION_URL, SESSIONS, ATTACHMENTS})
BLOCKS = ("subject", "body", "action", "notes")

logger = logging.getLogger("forum.emails")


@dataclass
class Message:
    subject: str
    paragraphs: list[str]
    action_label: str = ""
    action_url: str = ""
    notes: list[str] = field(default_factory=list)
    # Lines listed under "Your sessions" (registration emails).
    sessions: list[str] = field(default_factory=list)
    # (file name, content, MIME type): a meeting's calendar invitation, the sessions' .ics.
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


# A recipient is any object with `email`, `language` and `edition_id` (a registration); params
# are the codes and ids stored with the email. None: the email is not needed any more.
ContextBuilder = Callable[[Any, dict[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class EmailKind:
    name: str
    template: str
    # Each placeholder the template may use, with what it holds (shown to staff who edit it).
    placeholders: dict[str, Any]
    context: ContextBuilder
    # What the email is, for staff choosing one to edit ("Registration confirmed").
    label: Any = ""


@functools.cache
def email_kinds() -> dict[str, EmailKind]:
    """Every kind of email, from each app's declared list; a name declared twice is an error."""
    kinds: dict[str, EmailKind] = {}
    for config in apps.get_app_configs():
        path = getattr(config, "email_kinds", None)
        for kind in import_string(path) if path else ():
            if kind.name in kinds:
                raise ValueError(f"Email kind {kind.name!r} is declared twice")
            kinds[kind.name] = kind
    return kinds


def email_kind(name: str) -> EmailKind:
    try:
        return email_kinds()[name]
    except KeyError:
        raise ValueError(f"No email kind {name!r}") from None


def render_email(
    kind: str, context: dict[str, Any], language: str, *, source: str | None = None
) -> Message:
    """The email of `kind` with `context` (its placeholders' values) in `language`.

    `source`: template text to use instead of the kind's file (an email staff edited), with the
    same blocks and placeholders; a block it leaves out (the button's label, the notes) is the
    kind's file's.
    """
    spec = email_kind(kind)
    unknown = set(context) - set(spec.placeholders) - RESERVED
    if unknown:
        raise ValueError(f"Email kind {kind!r} has no placeholder {sorted(unknown)}")
    shipped = get_template(spec.template).template
    with translation.override(language):
        blocks = render_blocks(shipped, context)
        if source is not None:
            edited = render_blocks(Engine.get_default().from_string(source), context, only=True)
            blocks.update(edited)
    return Message(
        subject=" ".join(blocks["subject"].split()),
        paragraphs=paragraphs_of(blocks["body"]),
        action_label=" ".join(blocks["action"].split()),
        action_url=context.get(ACTION_URL, ""),
        notes=paragraphs_of(blocks["notes"]),
        sessions=list(context.get(SESSIONS, [])),
        attachments=list(context.get(ATTACHMENTS, [])),
    )


def build_message(kind: str, recipient, params: dict[str, Any]) -> Message | None:
    """The email of `kind` to `recipient` in their language, from the params stored with it;
    None when it is no longer needed."""
    with translation.override(recipient.language):
        values = email_kind(kind).context(recipient, params)
        if values is None:
            return None
        source = edited_source(kind, recipient)
        if source is not None:
            try:
                return render_email(kind, values, recipient.language, source=source)
            except TemplateSyntaxError:
                # Checked when it was saved; a kind changed since must not stop the email.
                logger.warning("Edited email %s unusable: the shipped one was sent", kind)
        return render_email(kind, values, recipient.language)


@functools.cache
def _source_finders() -> list[Callable[[str, Any], str | None]]:
    return [
        import_string(config.email_sources)
        for config in apps.get_app_configs()
        if getattr(config, "email_sources", None)
    ]


def edited_source(kind: str, recipient) -> str | None:
    """The template text staff wrote for this kind, the recipient's edition and language."""
    for finder in _source_finders():
        source = finder(kind, recipient)
        if source is not None:
            return source
    return None


def render_blocks(
    template: Template, context: dict[str, Any], *, only: bool = False
) -> dict[str, str]:
    """Each block of the template, rendered as plain text (the layouts escape for HTML);
    `only`: just the blocks the template has, else every block (empty when absent)."""
    rendered = {} if only else dict.fromkeys(BLOCKS, "")
    render_context = Context(context, autoescape=False)
    with render_context.bind_template(template):
        for node in template.nodelist.get_nodes_by_type(BlockNode):
            if node.name not in BLOCKS:
                raise ValueError(f"{template.origin.name}: unknown block {node.name!r}")
            rendered[node.name] = node.render(render_context)
    return rendered


_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def paragraphs_of(text: str) -> list[str]:
    """Paragraphs apart by a blank line; each line trimmed, empty ones dropped."""
    paragraphs = []
    for chunk in _BLANK_LINE.split(text.replace("\r\n", "\n")):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if lines:
            paragraphs.append("\n".join(lines))
    return paragraphs
