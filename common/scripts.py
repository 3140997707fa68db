"""Which script a name is written in: whether people who read only Latin letters can read it.

A Korean participant registers as "김민준" of "한빛엔지니어링"; their ASEAN counterparts read
neither. The forms ask for the name in Latin letters and the organisation in English when the
main one has a letter outside the Latin script (Hangul, Thai, Burmese, Khmer, Lao, Chinese…).
Accented Latin letters (Vietnamese "Nguyễn Thị Lan") count as Latin; digits, spaces and
punctuation don't count either way.
"""

import unicodedata


def written_in_latin(text: str) -> bool:
    """True when every letter of `text` is a Latin letter (an empty text is, too)."""
    return all(unicodedata.name(char, "").startswith("LATIN ") for char in text if char.isalpha())
