"""The one scoping mechanism: ``Model.objects.restrict(user, action)``.

Every scoped model declares :class:`ScopeRules`: where its region is (lookups to a
``regions.Region``), where its producer is, and which roles may do each action. Province users
see the whole province, city users their counties, county users the county and its townships,
township users their township (a region's ``path`` is a prefix of its descendants' paths);
producer users see only their own producer. UI views, API viewsets, admin and exports all read
through :meth:`RestrictedQuerySet.restrict` via the base classes in ``core``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from agritrace.core.permissions import ACTIONS, Role
from agritrace.core.validators import mask_phone

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agritrace.accounts.models import User

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopeRules:
    """How a model is scoped.

    ``region``: lookups from the model to a Region (any one in scope is enough);
    ``producer``: lookup from the model to its producer's id, or ``None`` when producer users
    never see it; ``grants``: action → roles that may do it (scope still applies); ``shared``,
    ``producer_defaults`` and ``unmasked_for``: see below.
    """

    region: tuple[str, ...]
    producer: str | None
    grants: Mapping[str, frozenset[Role]] = field(default_factory=dict)
    #: Objects whose ``shared`` lookup is null (e.g. a national standard with no producer) are
    #: visible to every signed-in user; writing them still needs scope.
    shared: str | None = None
    #: Values a producer user's new objects get besides their producer (e.g. the trace point a
    #: producer adds is its own 追溯网点).
    producer_defaults: Mapping[str, Any] = field(default_factory=dict)
    #: The action whose scope sees the object's contact phone in full; everyone else sees it
    #: masked (:func:`contact_phone_for`).
    unmasked_for: str = "view"

    def __post_init__(self) -> None:
        unknown = set(self.grants) - set(ACTIONS)
        if unknown:
            raise ValueError(f"unknown actions in grants: {sorted(unknown)}")
        if self.unmasked_for not in ACTIONS:
            raise ValueError(f"unknown action unmasked_for: {self.unmasked_for}")

    def field_for_errors(self) -> str:
        """The form/serializer field that places an object in scope (for error messages)."""
        lookup = self.region[0] if self.region else (self.producer or "")
        return lookup.split("__")[0]


def rules_for(model: type[models.Model]) -> ScopeRules:
    """The model's rules; a model without them is not scoped and is refused."""
    rules = getattr(model, "scope_rules", None)
    if not isinstance(rules, ScopeRules):
        raise TypeError(f"{model.__name__} declares no scope_rules")
    return rules


def user_role(user: User | AnonymousUser | None) -> Role | None:
    """The role of an active, authenticated user, else ``None``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Role(user.role) if user.role else None


def is_unrestricted(user: User | AnonymousUser | None) -> bool:
    """Platform superusers see and do everything."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def may(user: User | AnonymousUser | None, model: type[models.Model], action: str) -> bool:
    """Whether the user's role may do ``action`` on ``model`` at all (403 when not)."""
    if is_unrestricted(user):
        return True
    role = user_role(user)
    if role is None:
        return False
    return role in rules_for(model).grants.get(action, frozenset())


def scope_q(model: type[models.Model], user: User | AnonymousUser | None, action: str) -> Q:
    """The filter that keeps the objects ``user`` may ``action``."""
    if is_unrestricted(user):
        return Q()
    if not may(user, model, action):
        return NOTHING
    assert user is not None
    rules = rules_for(model)
    query = Q(**{f"{rules.shared}__isnull": True}) if rules.shared and action == "view" else NOTHING
    producer_id = getattr(user, "producer_id", None)
    if producer_id is not None:
        if rules.producer is not None:
            query |= Q(**{rules.producer: producer_id})
        return query
    region = user.scope_region  # type: ignore[union-attr]
    if region is not None:
        for lookup in rules.region:
            query |= Q(**{f"{lookup}__path__startswith": region.path})
    return query


class RestrictedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may see or do (as NetBox does)."""

    def restrict(self, user: Any, action: str = "view") -> RestrictedQuerySet:
        """Only the objects ``user`` may ``action``; distinct when several region paths apply."""
        query = scope_q(self.model, user, action)
        restricted = self.filter(query)
        if len(rules_for(self.model).region) > 1 and query != Q():
            restricted = restricted.distinct()
        return restricted


def creation_defaults(user: Any, model: type[models.Model]) -> dict[str, Any]:
    """Values a new object gets from its creator: a producer user's objects belong to its own
    producer (for models scoped through a ``producer`` field), with the rules'
    ``producer_defaults``."""
    rules = rules_for(model)
    if getattr(user, "producer_id", None) and rules.producer == "producer_id":
        return {"producer": user.producer, **rules.producer_defaults}
    return {}


def in_scope(user: Any, obj: models.Model, action: str) -> bool:
    """Whether ``obj`` (already saved) is within what ``user`` may ``action``."""
    manager = type(obj)._default_manager
    return manager.restrict(user, action).filter(pk=obj.pk).exists()  # type: ignore[attr-defined]


def contact_phone_for(user: Any, obj: models.Model) -> str:
    """``obj.contact_phone`` as ``user`` may see it (PIPL Art. 6, no more personal information
    than needed): in full for those whose scope reaches the object for its model's
    ``unmasked_for`` action (a producer's phone: the producer and its regulators; a
    complainant's: the regulators who may handle the complaint), masked (138****1234) for
    everyone else."""
    phone: str = obj.contact_phone  # type: ignore[attr-defined]
    if phone and not in_scope(user, obj, rules_for(type(obj)).unmasked_for):
        return mask_phone(phone)
    return phone
