"""Periodic work, declared by each app in its own ``periodic.py`` and collected like the
importers (:func:`registered` autodiscovers them): the checks that raise or close warnings and
the jobs that keep something up to date (probing the cameras).

``agritrace run_checks`` runs every one of them at once; ``agritrace scheduler`` enqueues each
one on the task queue (``agritrace db_worker`` runs it) when it is due. Several schedulers may
run: a conditional UPDATE of the job's :class:`~agritrace.core.models.PeriodicRun` row lets
exactly one of them enqueue it."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.tasks import Task, task
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from agritrace.core.changelog import actor
from agritrace.core.models import PeriodicRun


@dataclass(frozen=True)
class Periodic:
    """A registered piece of periodic work: its name, how often, and its task."""

    name: str
    every: dt.timedelta
    task: Task

    @property
    def source(self) -> str:
        """What the change log records as the source of its changes."""
        return f"agritrace periodic {self.name}"


_REGISTRY: dict[str, Periodic] = {}


def periodic(name: str, *, every: dt.timedelta) -> Callable[[Callable[[], Any]], Task]:
    """Function decorator: run the function every ``every``. It becomes a task (``.call()``
    runs it here, ``.enqueue()`` on the queue) whose changes the change log attributes to the
    job. ``name`` is ``<app>.<what>`` and unique."""
    if every <= dt.timedelta(0):
        raise ValueError(f"{name}: the interval must be positive")

    def register(function: Callable[[], Any]) -> Task:
        job: Periodic

        @functools.wraps(function)
        def run() -> Any:
            with actor(source=job.source):
                return function()

        job = Periodic(name=name, every=every, task=task(run))
        known = _REGISTRY.get(name)
        if known is not None and known.task.module_path != job.task.module_path:
            raise ValueError(f"{name} is already registered by {known.task.module_path}")
        _REGISTRY[name] = job
        return job.task

    return register


def registered() -> list[Periodic]:
    """Every registered job, by name; the apps' ``periodic`` modules are loaded first."""
    autodiscover_modules("periodic")
    return sorted(_REGISTRY.values(), key=lambda job: job.name)


def enqueue_due(
    now: dt.datetime | None = None, jobs: Iterable[Periodic] | None = None
) -> list[str]:
    """Enqueue every job (default: the registered ones) whose last run was enqueued at least
    its interval before ``now`` (or never); returns their names. Claiming a job and enqueuing
    it are one transaction, and the claim is an UPDATE conditional on the last run: when
    several schedulers tick at once, one enqueues the job and the others find it not due."""
    now = now or timezone.now()
    started = []
    for job in registered() if jobs is None else jobs:
        PeriodicRun.objects.get_or_create(name=job.name)
        not_run_since = Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - job.every)
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(not_run_since, name=job.name).update(
                last_enqueued_at=now
            )
            if claimed:
                job.task.enqueue()
                started.append(job.name)
    return started
