"""Production settings: the deploy check is clean; secrets never fall back to development ones."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz!",
    "ALLOWED_HOSTS": "forum.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://forum.example.org",
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_USE_TLS": "1",
}


# What the test process's environment holds that a production server's doesn't.
PRODUCTION_UNSET = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # manage.py's own default, forum.settings: not the tests' settings module pytest exports.
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_UNSET}
    return subprocess.run(  # noqa: S603 — our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,  # a loaded two-core machine can take minutes to migrate
    )


def test_deploy_check_is_clean_with_production_values(tmp_path):
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_are_safe_without_reading_the_docs(tmp_path):
    """Issue 16: no HSTS preload or subdomains, no trusted X-Forwarded-Proto, and background work
    in the database queue (never a 600-second solve inside a request) unless asked for."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'defaults.sqlite3'}"}
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_PROXY_SSL_HEADER, s.TASKS['default']['BACKEND'])"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.stdout.splitlines()[-1] == ("False False None django_tasks_db.DatabaseBackend"), (
        result.stderr
    )
    behind = manage(
        "shell", "-c", code, env={**env, "BEHIND_PROXY": "1", "SECURE_HSTS_PRELOAD": "1"}
    )
    assert behind.stdout.splitlines()[-1] == (
        "True False ('HTTP_X_FORWARDED_PROTO', 'https') django_tasks_db.DatabaseBackend"
    ), behind.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Configuration error: Set SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_keeps_checked_database_connections_and_a_short_page_check(tmp_path):
    env = {**PRODUCTION_ENV, "DATABASE_URL": "postgres://forum@db.internal:5432/forum"}
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.PAGE_CACHE_CHECK_SECONDS)"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.stdout.splitlines()[-1].split() == ["600", "True", "2"], result.stderr


def test_gunicorn_runs_one_worker_per_core_with_four_threads(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (config["workers"], config["threads"]) == (os.cpu_count(), 4)
    assert config["wsgi_app"] == "forum.wsgi:application"


COOKIES_SCRIPT = """
from django.test import Client
client = Client(HTTP_HOST="forum.example.org")
for response in (
    client.post("/i18n/setlang/", {"language": "ko", "next": "/"}, secure=True),
    client.post("/timezone/", {"tz": "Asia/Jakarta", "next": "/"}, secure=True),
):
    for cookie in response.cookies.values():
        print(cookie.key, bool(cookie["secure"]), cookie["samesite"], bool(cookie["httponly"]))
"""


def test_the_language_and_zone_cookies_are_secure_and_same_site_in_production(tmp_path):
    # Session and CSRF cookies are covered by the deploy check above.
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'cookies.sqlite3'}"}
    assert manage("migrate", "--noinput", env=env).returncode == 0
    result = manage("shell", "--no-imports", "-c", COOKIES_SCRIPT, env=env)
    assert result.returncode == 0, result.stderr
    cookies = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()}
    assert cookies == {
        "django_language": ["True", "Lax", "True"],
        "visitor_tz": ["True", "Lax", "False"],
    }


def test_production_settings_do_not_change_under_pytest(monkeypatch):
    """Read here, where pytest is loaded, forum/settings.py still gives production's defaults:
    it decides on DEBUG and the environment alone, never on whether it runs under test."""
    for name in PRODUCTION_UNSET | {"TASKS_BACKEND", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"}:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", PRODUCTION_ENV["SECRET_KEY"])
    monkeypatch.setenv("ALLOWED_HOSTS", "forum.example.org")

    production = runpy.run_path(str(ROOT / "forum" / "settings.py"))

    assert "TESTING" not in production
    assert production["DEBUG"] is False
    assert production["ALLOWED_HOSTS"] == ["forum.example.org"]
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 31536000
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["LANGUAGE_COOKIE_SECURE"] is True
    assert production["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert production["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert production["DATABASES"]["default"]["CONN_MAX_AGE"] == 600
    assert "TEST" not in production["DATABASES"]["default"]


def test_production_refuses_to_start_without_a_secret_key_even_under_pytest(monkeypatch):
    for name in PRODUCTION_UNSET:
        monkeypatch.delenv(name, raising=False)

    with pytest.raises(ImproperlyConfigured, match="Set SECRET_KEY"):
        runpy.run_path(str(ROOT / "forum" / "settings.py"))
