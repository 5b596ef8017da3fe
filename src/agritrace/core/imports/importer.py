"""The :class:`Importer` base class, its lookup helpers and the registry of importers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from agritrace.core import scoping
from agritrace.core.imports.columns import Column


@dataclass(frozen=True)
class UniqueSet:
    """Fields whose values together identify a row, and the message for a duplicate."""

    fields: tuple[str, ...]
    message: str


@dataclass
class Pending:
    """A validated row waiting to be written."""

    row: int
    obj: models.Model
    many: dict[str, list[models.Model]]


class Importer:
    """Declares how rows become objects of ``model``; one instance per import and user.

    Subclasses set ``kind``, ``label``, ``model`` and ``columns``, and override
    :meth:`resolve` to look references up (within the user's scope) and :meth:`validate` for
    rules beyond the model's own.
    """

    kind: ClassVar[str]
    label: ClassVar[Any]
    model: ClassVar[type[models.Model]]
    columns: ClassVar[tuple[Column, ...]]
    #: Fields that identify a row besides the model's unique constraints: a second row with the
    #: same values, in the file or in the database, is an error.
    natural_key: ClassVar[tuple[str, ...]] = ()
    #: Templates list importer classes: read their attributes, do not instantiate them.
    do_not_call_in_templates: ClassVar[bool] = True

    def __init__(self, user: Any) -> None:
        self.user = user
        meta = self.model._meta
        self.concrete = {f.name: f for f in meta.concrete_fields}
        self.many = {f.name for f in meta.many_to_many}
        self.relations = [f.name for f in meta.concrete_fields if f.is_relation]
        self.headers = {column.field: column.header_zh for column in self.columns}
        #: Not validated per row: relations (found by lookups, so they exist) and fields no
        #: column fills (left at their defaults).
        self.unchecked = [
            f.name for f in meta.concrete_fields if f.is_relation or f.name not in self.headers
        ]

    def resolve(self, row: dict[str, Any]) -> dict[str, Any]:
        """Field values from a row of parsed cells: references looked up within the user's
        scope. Raises ``ValidationError`` keyed by column field."""
        return row

    def build(self, row: dict[str, Any]) -> tuple[models.Model, dict[str, list[models.Model]]]:
        """An unsaved object for the user, and its many-to-many values. A relation may be
        given as an object or as its id; blank values leave fields with a default to it."""
        values = self.resolve(row)
        fields = {}
        for name, value in values.items():
            field = self.concrete.get(name)
            if field is None or (value in (None, "") and field.has_default()):
                continue
            by_id = field.is_relation and value is not None and not isinstance(value, models.Model)
            fields[field.attname if by_id else name] = value
        many = {name: values[name] for name in self.many if values.get(name)}
        return self.model(**fields), many

    def validate(self, obj: models.Model) -> None:
        """The model's validators and ``clean()`` for the fields the columns fill; uniqueness
        is checked for the whole file at once, so nothing costs a query per row."""
        obj.full_clean(exclude=self.unchecked, validate_unique=False, validate_constraints=False)

    def recheck(self, written: Sequence[Pending]) -> Iterator[tuple[Pending, ValidationError]]:
        """Rules that can only be checked once every row is written (inside the transaction,
        which is rolled back when any is broken)."""
        return iter(())

    def unique_sets(self) -> list[UniqueSet]:
        """The model's unique fields and constraints, and the importer's natural key."""
        meta, sample = self.model._meta, self.model()
        sets = [
            UniqueSet((f.name,), sample.unique_error_message(self.model, (f.name,)).messages[0])
            for f in meta.concrete_fields
            if f.unique and f.editable and not f.primary_key
        ]
        sets += [
            UniqueSet(tuple(c.fields), str(c.get_violation_error_message()))
            for c in meta.constraints
            if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
        ]
        if self.natural_key:
            sets.append(
                UniqueSet(
                    self.natural_key,
                    _("已有相同的%(model)s") % {"model": meta.verbose_name},
                )
            )
        return sets

    def header_for(self, names: Iterable[str]) -> str:
        """The column an error on these fields is shown under: the first plain field that has
        a column, else the first field that has one."""
        names = list(names)
        plain = [n for n in names if n in self.headers and n not in self.relations]
        chosen = plain or [n for n in names if n in self.headers]
        return self.headers[chosen[0]] if chosen else ""


def resolve_each(row: dict[str, Any], resolvers: dict[str, Callable[[dict], Any]]) -> dict:
    """Replace ``row[name]`` by ``resolver(row)`` for each lookup; every failure is reported,
    keyed by its field."""
    errors: dict[str, list[str]] = {}
    for name, resolver in resolvers.items():
        try:
            row[name] = resolver(row)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    return row


def one(candidates: Sequence[Any], value: str, what: Any) -> Any:
    """The only candidate; a reason when there is none or several."""
    if not candidates:
        raise ValidationError(_("未找到%(what)s“%(value)s”") % {"what": what, "value": value})
    if len(candidates) > 1:
        raise ValidationError(
            _("有多个%(what)s为“%(value)s”，请补充区分信息") % {"what": what, "value": value}
        )
    return candidates[0]


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer available by its ``kind``."""
    _REGISTRY[importer.kind] = importer
    return importer


def importer_classes() -> list[type[Importer]]:
    """Every registered importer, apps' ``importers`` modules loaded first."""
    autodiscover_modules("importers")
    return list(_REGISTRY.values())


def get_importer(kind: str) -> type[Importer]:
    """The importer of ``kind``; ``LookupError`` when there is none."""
    for importer in importer_classes():
        if importer.kind == kind:
            return importer
    raise LookupError(kind)


def importers_for(user: Any) -> list[type[Importer]]:
    """The importers whose model the user's role may add."""
    return [i for i in importer_classes() if scoping.may(user, i.model, "add")]
