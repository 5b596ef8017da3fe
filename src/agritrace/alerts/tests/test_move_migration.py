"""Warnings moved from ``supervision`` to ``alerts`` without a table being rebuilt: a database
with the old layout and its rows (warnings, follow-ups, their change log and permissions)
migrates forward with every row and every reference kept."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from agritrace.alerts.models import FollowUp, Warning, WarningStatus
from agritrace.conftest import REGION_ROWS, make_producer
from agritrace.core.models import ChangeRecord
from agritrace.regions.models import Region
from agritrace.regions.services import load_regions

#: The last state with the models in ``supervision``.
BEFORE = [("alerts", None), ("supervision", "0005_bounds")]


def _migrate(targets: list[tuple[str, str | None]]) -> object:
    """Migrate the test database to ``targets``; the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_a_database_with_the_old_layout_migrates_with_its_rows_and_references():
    load_regions(REGION_ROWS)
    township = Region.objects.get(code="430923100")
    producer = make_producer("A", township)

    old = _migrate(BEFORE)
    old_ct = old.get_model("contenttypes", "ContentType")
    warning_type, _ = old_ct.objects.get_or_create(app_label="supervision", model="warning")
    subject_type, _ = old_ct.objects.get_or_create(app_label="producers", model="producer")
    old_warning = old.get_model("supervision", "Warning").objects.create(
        kind="positive_test",
        subject_type=subject_type,
        subject_id=str(producer.pk),
        region_id=township.pk,
        producer_id=producer.pk,
        title="示例旧预警",
    )
    old_follow_up = old.get_model("supervision", "FollowUp").objects.create(
        title="示例旧跟进", producer_id=producer.pk, warning=old_warning, due_on="2026-03-01"
    )
    logged = ChangeRecord.objects.create(  # the change log's table is not part of the move
        action="create",
        content_type_id=warning_type.pk,
        object_id=str(old_warning.pk),
        object_repr="示例旧预警",
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    warning = Warning.objects.get(pk=old_warning.pk)
    assert (warning.title, warning.status, warning.subject) == (
        "示例旧预警",
        WarningStatus.OPEN,
        producer,
    )
    assert FollowUp.objects.get(pk=old_follow_up.pk).warning == warning
    # the content type was relabelled, not replaced: the change log still finds its model
    assert ContentType.objects.get_for_model(Warning).pk == warning_type.pk
    assert not ContentType.objects.filter(app_label="supervision", model="warning").exists()
    assert ChangeRecord.objects.get(pk=logged.pk).content_type.model_class() is Warning
    assert Permission.objects.get(codename="view_warning").content_type_id == warning_type.pk
    # the same tables, with their index and the one-unclosed-warning constraint
    tables = connection.introspection.table_names()
    assert {"supervision_warning", "supervision_followup"} <= set(tables)
    assert not {"alerts_warning", "alerts_followup"} & set(tables)
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, "supervision_warning")
    assert {"warning_one_unclosed_per_subject", "supervision_region__eb646b_idx"} <= set(names)
