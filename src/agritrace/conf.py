"""Strict parsing of ``AGRITRACE_*`` environment variables.

A malformed value stops start-up with a message naming the variable, the value and what was
expected, instead of misbehaving later (the HealthChecks way).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "AGRITRACE_"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(PREFIX + name)
    file_name = os.environ.get(PREFIX + name + "_FILE")
    if value is not None and file_name is not None:
        raise ImproperlyConfigured(f"Set {PREFIX}{name} or {PREFIX}{name}_FILE, not both.")
    if file_name is not None:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{PREFIX}{name}_FILE={file_name!r}: {exc}") from exc
    return value


def env_str(name: str, default: str) -> str:
    """A string; empty counts as unset."""
    value = _raw(name)
    return value if value else default


def env_bool(name: str, default: bool) -> bool:
    """Only true/false, 1/0, yes/no, on/off (any case) are accepted."""
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{PREFIX}{name}={value!r} is not a boolean; use true/false, 1/0, yes/no or on/off."
    )


def env_int(name: str, default: int, *, minimum: int = 0, maximum: int | None = None) -> int:
    """An integer within ``[minimum, maximum]``."""
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{PREFIX}{name}={value!r} is not an integer.") from None
    if number < minimum or (maximum is not None and number > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise ImproperlyConfigured(f"{PREFIX}{name}={number} must be at least {minimum}{upper}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are an error."""
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{PREFIX}{name}={value!r} has an empty item.")
    return items


def env_url(name: str, default: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    """An absolute URL with one of ``schemes`` and a host, without a trailing slash."""
    value = env_str(name, default)
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{PREFIX}{name}={value!r} must be an absolute {'/'.join(schemes)} URL with a host "
            "and no query or fragment."
        )
    return value.rstrip("/")


def env_path(name: str, default: Path) -> Path:
    """A directory path; created if missing."""
    path = Path(env_str(name, str(default))).expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"{PREFIX}{name}={str(path)!r} cannot be created: {exc}"
        ) from exc
    return path


def database_config(home: Path) -> dict[str, object]:
    """``AGRITRACE_DATABASE_URL``: ``sqlite:///…`` or ``postgres://…``; default SQLite in HOME."""
    import dj_database_url

    url = env_str("DATABASE_URL", f"sqlite:///{home / 'agritrace.sqlite3'}")
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{PREFIX}DATABASE_URL scheme {scheme!r} is not supported; use sqlite:/// or postgres://."
        )
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{PREFIX}DATABASE_URL is malformed: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server, the task worker and readers work at the same time.
        config["CONN_MAX_AGE"] = 0
        # A file (not shared-cache memory) so that tests with concurrent writers behave as the
        # real WAL database does.
        config["TEST"] = {"NAME": str(home / "test.sqlite3")}
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


def cache_config(home: Path) -> dict[str, object]:
    """``AGRITRACE_CACHE_URL``: ``redis://…`` (production: one cache for every web and task
    process), ``file://`` (the default: files in ``HOME/cache``, shared by the processes of one
    machine, so that a record changed by the task worker drops the ID-card parts the web
    server cached) or ``locmem://`` (one process only)."""
    url = env_str("CACHE_URL", "file://")
    scheme = urlsplit(url).scheme
    if scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "file":
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(home / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "agritrace"}
    raise ImproperlyConfigured(
        f"{PREFIX}CACHE_URL scheme {scheme!r} is not supported; use redis://, file:// or locmem://."
    )


def secret_key(home: Path) -> str:
    """``AGRITRACE_SECRET_KEY``, or one generated once and kept in ``HOME/secret_key``."""
    value = _raw("SECRET_KEY")
    if value:
        if len(value) < 32:
            raise ImproperlyConfigured(f"{PREFIX}SECRET_KEY must be at least 32 characters long.")
        return value
    path = home / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def env_addresses(
    name: str, default: list[str]
) -> list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int | None]]:
    """A comma-separated list of addresses or networks, each with an optional port:
    ``127.0.0.1:8123``, ``10.0.0.0/8``, ``[::1]:8000``, ``[fd00::/8]``. Host names are refused
    (they could resolve anywhere)."""
    items = env_list(name, default)
    parsed: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int | None]] = []
    for item in items:
        port_text: str | None = None
        host = item
        if item.startswith("["):
            host, bracket, rest = item[1:].partition("]")
            if not bracket or (rest and not rest.startswith(":")):
                raise ImproperlyConfigured(f"{PREFIX}{name}: {item!r} is malformed.")
            port_text = rest[1:] if rest else None
        elif item.count(":") == 1:
            host, port_text = item.split(":")
        try:
            network = ipaddress.ip_network(host, strict=True)
        except ValueError:
            raise ImproperlyConfigured(
                f"{PREFIX}{name}: {item!r} is not an IP address or network (host names are not "
                "accepted)."
            ) from None
        port: int | None = None
        if port_text is not None:
            if not (port_text.isdigit() and 0 < int(port_text) < 65536):
                raise ImproperlyConfigured(f"{PREFIX}{name}: bad port in {item!r}.")
            port = int(port_text)
        parsed.append((network, port))
    return parsed
