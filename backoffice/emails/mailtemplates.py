"""Emails the organisers edited: which kinds may be edited, the edited text used in place of the
shipped one (`edited_source`, named on the AppConfig), a preview with a sample attendee, and the
test a staff member sends to themselves.
"""

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from backoffice.models import MailTemplate
from backoffice.services.bulk import BULK_EMAIL_KIND
from backoffice.services.mailtemplates import MAIL_TEMPLATE_TEST_KIND
from common.emails import ACTION_URL, EmailKind, Message, email_kind, email_kinds, render_email
from forum.models import Edition

# Not editable: the bulk email is already the organisers' own words; the test is a wrapper.
NOT_EDITABLE = frozenset({BULK_EMAIL_KIND, MAIL_TEMPLATE_TEST_KIND})

# The sample attendee of previews and tests: values that read like a real email.
SAMPLE_NAME = "Kim Min-ji"
SAMPLE_VALUES: dict[str, Any] = {
    "hours": 48,
    "days": 30,
    "minutes": 15,
    "waiting": False,
    "booked": True,
    "active": True,
    "soon": False,
    "marketing": False,
    "email": "kim.minji@example.com",
}


def editable_kinds() -> list[EmailKind]:
    """The kinds organisers may edit, by their label in the active language."""
    kinds = [kind for name, kind in email_kinds().items() if name not in NOT_EDITABLE]
    return sorted(kinds, key=lambda kind: str(kind.label or kind.name))


def kind_label(name: str) -> str:
    kind = email_kinds().get(name)
    return str(kind.label or name) if kind else name


def template_source(subject: str, body: str) -> str:
    """The edited subject and text as the blocks `render_email` reads (the button's label and
    the notes stay the shipped ones)."""
    return f"{{% block subject %}}{subject}{{% endblock %}}{{% block body %}}{body}{{% endblock %}}"


def edited_source(kind: str, recipient) -> str | None:
    """The text an organiser wrote for this kind, the recipient's edition and language."""
    edition_id = getattr(recipient, "edition_id", None)
    if edition_id is None or kind in NOT_EDITABLE:
        return None
    edited = (
        MailTemplate.objects.filter(
            edition_id=edition_id, kind=kind, language=getattr(recipient, "language", "")
        )
        .values_list("subject", "body")
        .first()
    )
    return template_source(*edited) if edited else None


def sample_context(kind: str, *, edition: Edition, language: str) -> dict[str, Any]:
    """Each placeholder of `kind` as a sample attendee's email would fill it; what has no
    sample value shows what it holds, in brackets."""
    with translation.override(language):
        values: dict[str, Any] = {}
        for name, meaning in email_kind(kind).placeholders.items():
            if name == "name":
                values[name] = SAMPLE_NAME
            elif name == "edition":
                values[name] = edition.title
            elif name in SAMPLE_VALUES:
                values[name] = SAMPLE_VALUES[name]
            else:
                values[name] = f"[{meaning}]"
        values[ACTION_URL] = f"{settings.SITE_URL}{edition.get_absolute_url()}"
    return values


def preview_message(
    *, edition: Edition, kind: str, language: str, subject: str, body: str
) -> Message:
    """The email as the sample attendee would get it with this subject and text."""
    context = sample_context(kind, edition=edition, language=language)
    return render_email(kind, context, language, source=template_source(subject, body))


def test_context(template: MailTemplate, params: dict[str, Any]) -> dict[str, Any]:
    """The test of an edited email: the preview, wrapped in a line saying what it is."""
    message = preview_message(
        edition=template.edition,
        kind=template.kind,
        language=template.language,
        subject=template.subject,
        body=template.body,
    )
    return {
        "subject": message.subject,
        "body": "\n\n".join(message.paragraphs),
        "action": message.action_label,
        "notes": "\n\n".join(message.notes),
        "kind": kind_label(template.kind),
        "edition": template.edition.title,
        ACTION_URL: message.action_url,
    }


KINDS = [
    EmailKind(
        name=MAIL_TEMPLATE_TEST_KIND,
        template=f"emails/kinds/{MAIL_TEMPLATE_TEST_KIND}.txt",
        placeholders={
            "subject": _("the edited email's subject"),
            "body": _("the edited email's text, for a sample attendee"),
            "action": _("the edited email's button"),
            "notes": _("the edited email's notes"),
            "kind": _("which email it is"),
            "edition": _("the forum's title"),
        },
        context=test_context,
        label=_("Test of an edited email"),
    )
]
