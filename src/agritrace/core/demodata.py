"""Demo data framework: each app may have a ``demo`` module with ``load(ctx)`` (and, when it
needs settings before the migrations run, ``prepare()``); the ``demo`` command runs them in
INSTALLED_APPS order. Every loader is idempotent (natural keys)."""

from __future__ import annotations

import importlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType

from django.apps import apps

#: Every demo account's password (printed by ``agritrace demo``; never use it in production).
DEMO_PASSWORD = "agritrace-demo-2026"
#: Demo names carry this mark so no one mistakes them for real entities.
MARK = "示例"


@dataclass
class DemoContext:
    """Shared state between the apps' loaders."""

    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    accounts: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def account(self, persona: str, username: str) -> None:
        """Remember a demo login to print."""
        self.accounts.append((persona, username))

    def count(self, label: str, created: int) -> None:
        """Add to the number of objects created."""
        self.counts[label] = self.counts.get(label, 0) + created


def demo_modules() -> Iterator[ModuleType]:
    """Every app's ``demo`` module, in app order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("agritrace."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise


def prepare() -> None:
    """Run every app's optional ``demo.prepare()``: settings the demo needs before it migrates
    (e.g. the camera allow-list that the video app's migrations read)."""
    for module in demo_modules():
        if hasattr(module, "prepare"):
            module.prepare()


def run_loaders(ctx: DemoContext) -> None:
    """Run every app's ``demo.load`` in app order."""
    for module in demo_modules():
        module.load(ctx)
