"""The central change log: every save and delete of every AgriTrace model becomes a ChangeRecord.

Signals plus a context variable set per request (``ChangeContextMiddleware``) or per command
(:func:`actor`), as NetBox does; no view writes audit rows by hand.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

SECRET_FIELDS = frozenset({"password", "key", "secret", "token"})
#: Logs themselves, trace codes (their state changes are ``coding.CodeEvent`` rows, one per
#: operation over a range of codes) and the ID card's internal part versions.
EXCLUDED = frozenset(
    {"core.changerecord", "accounts.loginevent", "coding.tracecode", "coding.codeevent",
     "public.cardversion", "testing.deviceupload"}
)  # fmt: skip


@dataclass(frozen=True)
class Actor:
    """Who is making changes now; a request's user is read when the change is written, since
    token authentication (DRF) sets it only inside the view."""

    user: Any = None
    source: str = ""
    remote_addr: str | None = None
    request: Any = None

    def who(self) -> tuple[Any, str]:
        """The user account behind the change (or ``None``) and the name to record: a device
        uploading results is named ``device:<serial>`` and has no account."""
        user = getattr(self.request, "user", None) if self.request is not None else self.user
        if not getattr(user, "is_authenticated", False):
            return None, ""
        return (user if isinstance(user, models.Model) else None), user.get_username()


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar(
    "agritrace_actor", default=None
)


@contextmanager
def actor(
    user: Any = None, source: str = "", remote_addr: str | None = None, request: Any = None
) -> Iterator[None]:
    """Attribute the changes made inside the block to ``user`` (or ``request.user``)."""
    token = _actor.set(
        Actor(user=user, source=source[:200], remote_addr=remote_addr, request=request)
    )
    try:
        yield
    finally:
        _actor.reset(token)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The object's concrete field values as JSON-safe data; secrets are masked."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            data[field.name] = "********"
        elif field.is_relation:
            data[field.attname] = field.value_from_object(obj)
        else:
            data[field.name] = field.value_to_string(obj)
    return data


def _tracked(sender: type[models.Model]) -> bool:
    meta = sender._meta
    return (
        meta.app_config is not None
        and meta.app_config.name.startswith("agritrace.")
        and meta.label_lower not in EXCLUDED
        and not meta.auto_created
    )


def _write(obj: models.Model, action: str, before: dict | None, after: dict | None) -> None:
    from django.contrib.contenttypes.models import ContentType

    from agritrace.core.models import ChangeRecord

    current = _actor.get() or Actor()
    user, username = current.who()
    ChangeRecord.objects.create(
        user=user,
        username=username,
        source=current.source,
        remote_addr=current.remote_addr,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
    )


def record_bulk_create(objects: Sequence[models.Model]) -> None:
    """Change records for objects just saved with ``bulk_create`` (which sends no signals),
    attributed to the current actor. The values are prepared by the fields themselves and
    written with ``COPY`` on PostgreSQL, ``executemany`` elsewhere: on 100,000 rows Django's
    bulk insert compiler would cost more than the import it records (``docs/performance.md``)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from agritrace.core.models import ChangeRecord

    current = _actor.get() or Actor()
    user, username = current.who()
    meta = ChangeRecord._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    fixed = {
        "time": timezone.now(),
        "user": user.pk if user else None,
        "username": username,
        "source": current.source,
        "remote_addr": current.remote_addr,
        "action": "create",
        "before": None,
    }
    prepared = {n: meta.get_field(n).get_db_prep_save(v, connection) for n, v in fixed.items()}
    after = meta.get_field("after")

    def values(obj: models.Model) -> list[Any]:
        row = prepared | {
            "content_type": ContentType.objects.get_for_model(type(obj)).pk,
            "object_id": str(obj.pk),
            "object_repr": str(obj)[:200],
            "after": after.get_db_prep_save(snapshot(obj), connection),
        }
        return [row[f.name] for f in fields]

    rows = [values(obj) for obj in objects if _tracked(type(obj))]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _pre_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _tracked(sender) or kwargs.get("raw"):
        return
    previous = None
    if instance.pk is not None and not instance._state.adding:
        previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._changelog_before = snapshot(previous) if previous is not None else None


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if not _tracked(sender) or kwargs.get("raw"):
        return
    before = getattr(instance, "_changelog_before", None)
    after = snapshot(instance)
    if created or before is None:
        _write(instance, "create", None, after)
    elif before != after:
        _write(instance, "update", before, after)


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if _tracked(sender):
        _write(instance, "delete", snapshot(instance), None)


def _m2m_changed(
    sender: type[models.Model], instance: models.Model, action: str, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"} or kwargs.get("reverse"):
        return
    if not _tracked(type(instance)):
        return
    for field in instance._meta.many_to_many:
        if field.remote_field.through is sender:
            values = sorted(getattr(instance, field.name).values_list("pk", flat=True))
            _write(instance, "update", None, {field.name: values})


def connect() -> None:
    """Connect the handlers to every model (filtered by app in each handler)."""
    pre_save.connect(_pre_save, dispatch_uid="agritrace-changelog-pre-save")
    post_save.connect(_post_save, dispatch_uid="agritrace-changelog-post-save")
    post_delete.connect(_post_delete, dispatch_uid="agritrace-changelog-post-delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="agritrace-changelog-m2m")
