"""Fixtures every test can use."""

import pytest


@pytest.fixture(autouse=True)
def _english_and_fast_passwords(settings):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with no cached page, as a freshly started app process does."""
    from django.core.cache import caches

    from forum.pagecache import forget_recent_reads

    caches["pages"].clear()
    forget_recent_reads()


@pytest.fixture
def edition(db):
    from tests.factories import EditionFactory

    return EditionFactory()
