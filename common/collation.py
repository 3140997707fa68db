"""Sort keys for names shown to visitors, in whatever language the page is in."""

import unicodedata


def name_key(name: str) -> str:
    """Alphabetical in English, 가나다 order in Korean (Hangul is encoded in that order)."""
    return unicodedata.normalize("NFKC", str(name)).casefold()
