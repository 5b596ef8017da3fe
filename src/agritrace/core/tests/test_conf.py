"""Settings from AGRITRACE_* variables are parsed strictly."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from agritrace import conf


@pytest.mark.parametrize("value", ["maybe", "2", "yes please"])
def test_malformed_boolean_stops_startup(monkeypatch, value):
    monkeypatch.setenv("AGRITRACE_DEBUG", value)
    with pytest.raises(ImproperlyConfigured, match="AGRITRACE_DEBUG"):
        conf.env_bool("DEBUG", False)


@pytest.mark.parametrize(
    ("value", "expected"), [("true", True), ("0", False), ("ON", True), ("", False)]
)
def test_booleans(monkeypatch, value, expected):
    monkeypatch.setenv("AGRITRACE_DEBUG", value)
    assert conf.env_bool("DEBUG", False) is expected


@pytest.mark.parametrize("value", ["ftp://x", "example.org", "https://x.org/?a=1", "http://"])
def test_public_base_url_must_be_absolute_http(monkeypatch, value):
    monkeypatch.setenv("AGRITRACE_PUBLIC_BASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="AGRITRACE_PUBLIC_BASE_URL"):
        conf.env_url("PUBLIC_BASE_URL", "http://127.0.0.1:8000")


def test_public_base_url_loses_trailing_slash(monkeypatch):
    monkeypatch.setenv("AGRITRACE_PUBLIC_BASE_URL", "https://trace.example.org/")
    assert conf.env_url("PUBLIC_BASE_URL", "") == "https://trace.example.org"


@pytest.mark.parametrize("value", ["mysql://u@h/db", "not a url"])
def test_unsupported_database_url(monkeypatch, tmp_path, value):
    monkeypatch.setenv("AGRITRACE_DATABASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="AGRITRACE_DATABASE_URL"):
        conf.database_config(tmp_path)


def test_default_database_is_sqlite_in_wal_mode(monkeypatch, tmp_path):
    monkeypatch.delenv("AGRITRACE_DATABASE_URL", raising=False)
    config = conf.database_config(tmp_path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_secret_key_is_generated_once_and_kept(monkeypatch, tmp_path):
    monkeypatch.delenv("AGRITRACE_SECRET_KEY", raising=False)
    first = conf.secret_key(tmp_path)
    assert len(first) >= 50 and conf.secret_key(tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_short_secret_key_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("AGRITRACE_SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="32"):
        conf.secret_key(tmp_path)


def test_integer_bounds(monkeypatch):
    monkeypatch.setenv("AGRITRACE_SESSION_IDLE_MINUTES", "0")
    with pytest.raises(ImproperlyConfigured):
        conf.env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
    monkeypatch.setenv("AGRITRACE_SESSION_IDLE_MINUTES", "ten")
    with pytest.raises(ImproperlyConfigured):
        conf.env_int("SESSION_IDLE_MINUTES", 30, minimum=1)
