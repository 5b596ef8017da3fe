"""Periodic checks and jobs come from a registry the apps fill (``core.periodic``): ``run_checks``
runs them all and imports no domain app; ``scheduler`` enqueues each when it is due, once,
however many schedulers tick."""

from __future__ import annotations

import ast
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agritrace.alerts.models import Warning, WarningKind
from agritrace.catalog.models import Certification
from agritrace.conftest import World
from agritrace.core import periodic
from agritrace.core.models import ChangeRecord, PeriodicRun

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
COMMANDS = Path(__file__).resolve().parents[1] / "management" / "commands"
CALLS: list[str] = []


def _count() -> None:
    CALLS.append("ran")


COUNTER = periodic.Periodic(name="test.count", every=dt.timedelta(hours=1), task=task(_count))


def test_the_apps_register_their_checks_and_jobs():
    assert {job.name: job.every for job in periodic.registered()} == {
        "catalog.certifications": dt.timedelta(days=1),
        "coding.id_cards": dt.timedelta(days=1),
        "supervision.complaints": dt.timedelta(days=1),
        "video.probe_cameras": dt.timedelta(minutes=5),
    }


@pytest.mark.parametrize("command", ["run_checks.py", "scheduler.py"])
def test_the_commands_import_no_domain_app(command):
    tree = ast.parse((COMMANDS / command).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    ours = {name for name in imported if name.startswith("agritrace.")}
    assert ours and all(name.startswith("agritrace.core") for name in ours), ours


def test_a_due_job_is_enqueued_once_and_a_job_not_due_is_not(db, settings):
    settings.TASKS = IMMEDIATE
    CALLS.clear()
    now = timezone.now()
    assert periodic.enqueue_due(now, [COUNTER]) == ["test.count"]
    # a second scheduler ticking at the same moment finds the job claimed
    assert periodic.enqueue_due(now, [COUNTER]) == []
    assert periodic.enqueue_due(now + dt.timedelta(minutes=59), [COUNTER]) == []
    assert CALLS == ["ran"]
    assert periodic.enqueue_due(now + dt.timedelta(hours=1), [COUNTER]) == ["test.count"]
    assert CALLS == ["ran", "ran"]
    assert PeriodicRun.objects.get(name="test.count").last_enqueued_at == now + dt.timedelta(
        hours=1
    )


def test_the_registered_jobs_run_when_due_attributed_to_the_job(world: World, settings):
    settings.TASKS = IMMEDIATE
    product = world.deps["A"]["product"]
    Certification.objects.create(
        producer=world.producers["A"], kind="green_food", name="示例绿色"
    ).products.add(product)
    now = timezone.now()
    assert periodic.enqueue_due(now) == [job.name for job in periodic.registered()]
    warning = Warning.objects.get(kind=WarningKind.ID_CARD_MISSING)
    assert warning.subject == product
    logged = ChangeRecord.objects.get(content_type__model="warning", object_id=str(warning.pk))
    assert logged.source == "agritrace periodic coding.id_cards"
    assert periodic.enqueue_due(now + dt.timedelta(minutes=4)) == []
    assert periodic.enqueue_due(now + dt.timedelta(minutes=5)) == ["video.probe_cameras"]


def test_the_scheduler_queues_due_jobs_for_the_worker(db):
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    call_command("scheduler", "--once", stdout=out)
    queued = DBTaskResult.objects.order_by("task_path")
    assert [row.task_path for row in queued] == [
        "agritrace.catalog.periodic.check_certifications",
        "agritrace.coding.periodic.check_id_cards",
        "agritrace.supervision.periodic.check_complaints",
        "agritrace.video.periodic.probe_all_cameras",
    ]
    assert out.getvalue().count("enqueued ") == 4
    # what the worker runs: the task its row points to (the worker itself closes the
    # connection, which would end the test's in-memory database)
    none = {"online": 0, "stalled": 0, "offline": 0, "invalid": 0}
    assert [row.task.call() for row in queued] == [0, 0, 0, none]


def test_run_checks_runs_every_registered_job_or_the_named_ones(db):
    out = io.StringIO()
    call_command("run_checks", stdout=out)
    assert [line.split(":")[0] for line in out.getvalue().splitlines()] == [
        job.name for job in periodic.registered()
    ]
    out = io.StringIO()
    call_command("run_checks", "supervision.complaints", stdout=out)
    assert out.getvalue() == "supervision.complaints: 0\n"
    with pytest.raises(CommandError, match="unknown job"):
        call_command("run_checks", "nothing.here")


def test_the_scheduler_refuses_a_bad_interval():
    with pytest.raises(CommandError, match="seconds from 1 to 3600"):
        call_command("scheduler", "--interval", "0", "--once")
