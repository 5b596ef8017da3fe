"""Roles and the grants that say which role may do what.

Roles follow the 2020 spec's agencies (Art. 4: supervision, testing and enforcement administrators
and county/township users) and the producers' own accounts (Art. 5).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user does in its organisation or producer."""

    ADMINISTRATOR = "administrator", _("管理员")
    OFFICER = "officer", _("监管员")
    GRID_OFFICER = "grid_officer", _("网格员")
    INSPECTOR = "inspector", _("检查员")
    TESTER = "tester", _("检测员")
    ENFORCER = "enforcer", _("执法员")
    OWNER = "owner", _("主体负责人")
    STAFF = "staff", _("主体工作人员")


ORGANISATION_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.OFFICER,
        Role.GRID_OFFICER,
        Role.INSPECTOR,
        Role.TESTER,
        Role.ENFORCER,
    }
)
PRODUCER_ROLES = frozenset({Role.OWNER, Role.STAFF})
ALL_ROLES = ORGANISATION_ROLES | PRODUCER_ROLES
#: Regulators who register and maintain producers (Art. 5, Art. 9).
REGISTRARS = frozenset({Role.ADMINISTRATOR, Role.OFFICER, Role.GRID_OFFICER})
#: Regulators who register producers, and the producer's own people: they maintain a
#: producer's records (Art. 5, Art. 9).
MAINTAINERS = REGISTRARS | PRODUCER_ROLES
NOBODY: frozenset[Role] = frozenset()

ACTIONS = ("view", "add", "change", "delete")

#: Action → the roles that may do it (scope still applies): a model's ``ScopeRules.grants``.
Grants = Mapping[str, frozenset[Role]]


def maintained_by(roles: frozenset[Role]) -> Grants:
    """Every role may view; ``roles`` add, change and delete."""
    return MappingProxyType({"view": ALL_ROLES, "add": roles, "change": roles, "delete": roles})


def kept_by(roles: frozenset[Role]) -> Grants:
    """Records the rules keep (traceability history, issued codes and certificates): every
    role may view, ``roles`` add and correct them (each change is logged), nobody deletes."""
    return MappingProxyType({"view": ALL_ROLES, "add": roles, "change": roles, "delete": NOBODY})


def added_by(roles: frozenset[Role]) -> Grants:
    """Entries written once (readings, print jobs, checks): every role may view, ``roles`` add,
    nobody changes or deletes."""
    return MappingProxyType({"view": ALL_ROLES, "add": roles, "change": NOBODY, "delete": NOBODY})


#: What only the platform writes (logs, upload logs, scan events): read-only for everyone.
READ_ONLY = added_by(NOBODY)
