"""Validators every app shares: a single-line text holds no control characters."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 and C1 control characters (line breaks, tabs, NUL…) and the Unicode line and paragraph
# separators: any of them breaks an email header (a name in a subject or an address line).
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def single_line(value: str) -> None:
    """Refuses line breaks, tabs and other control characters in a one-line field."""
    if value and CONTROL_CHARACTERS.search(str(value)):
        raise ValidationError(
            _("Write this on one line, without line breaks, tabs or other control characters."),
            code="single_line",
        )
