"""The guided flow on a batch's page (issue 13, part 3): one path from the batch to its labels —
test → certificate → codes → labels — each step a button enabled when its rule allows, and
saying why not when it does not.

The steps belong to the apps above production (testing, coding), which production must not
import: each declares its step in its own ``flow.py`` with :func:`batch_step`, and
:func:`steps` collects them (autodiscovered like ``core.periodic``). A step decides nothing
itself: it asks the rule its service applies (``coding.services.certificates
.certificate_blockers``, ``coding.services.minting.usable_batch``…) and shows the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import models
from django.urls import reverse
from django.utils.module_loading import autodiscover_modules

from agritrace.core import scoping
from agritrace.production.models import Batch


@dataclass(frozen=True)
class Step:
    """One step of the flow as the batch page shows it.

    ``url`` is the page that does the step (``None`` when the viewer's role may not do it:
    then no button); ``enabled`` says whether the rule allows it now, and ``reason`` why not;
    ``done`` and ``status`` say what was done already (a test's result, a certificate's
    number, how many codes are bound, the print jobs)."""

    key: str
    label: str
    action: str
    url: str | None
    enabled: bool
    reason: str = ""
    done: bool = False
    status: str = ""


StepFunction = Callable[[Batch, Any], Step | None]
_STEPS: dict[str, tuple[int, StepFunction]] = {}


def batch_step(order: int) -> Callable[[StepFunction], StepFunction]:
    """Function decorator: ``function(batch, user) → Step`` (or ``None`` to show nothing) is a
    step of the flow, shown in ascending ``order``."""

    def register(function: StepFunction) -> StepFunction:
        _STEPS[f"{function.__module__}.{function.__qualname__}"] = (order, function)
        return function

    return register


def steps(batch: Batch, user: Any) -> list[Step]:
    """The flow's steps for ``batch`` as ``user`` sees them, in order; the apps' ``flow``
    modules are loaded first."""
    autodiscover_modules("flow")
    found = (function(batch, user) for _order, function in sorted(_STEPS.values(), key=_first))
    return [step for step in found if step is not None]


def step_url(
    name: str, user: Any, model: type[models.Model], query: dict[str, Any], back: Batch | None
) -> str | None:
    """The add page (URL ``name``) that does a step, prefilled with ``query`` and, when ``back``
    is given, returning to that batch's page once saved; ``None`` when the user's role may not
    add ``model``."""
    if not scoping.may(user, model, "add"):
        return None
    if back is not None:
        query = query | {"next": back.get_absolute_url()}
    return f"{reverse(name)}?{urlencode(query)}"


def _first(entry: tuple[int, StepFunction]) -> int:
    return entry[0]
