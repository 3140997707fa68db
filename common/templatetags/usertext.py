"""Text that people typed, shown so that it can't disturb the page around it.

`{{ value|bdi }}` wraps the value in `<bdi>`: the browser works out its direction from its own
letters (Arabic or Hebrew stay right to left) and a stray right-to-left override in it (U+202E)
ends with it instead of flipping the rest of the line. The stylesheet lets a long unbroken word
inside break anywhere rather than widen the page (`bdi { overflow-wrap: anywhere }`).
Works inside `{% blocktranslate with name=person.name|bdi %}` too.
"""

from django import template
from django.utils.html import conditional_escape, format_html

register = template.Library()


@register.filter(is_safe=True)
def bdi(value) -> str:
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", conditional_escape(value))
