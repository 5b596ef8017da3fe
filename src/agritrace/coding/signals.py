"""Keep trace codes in step with their batches, and the shared label presets with the code."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_migrate, post_save

from agritrace.coding.services.binding import recall_codes
from agritrace.coding.services.printing import sync_presets
from agritrace.production.choices import BatchStatus
from agritrace.production.models import Batch


def _batch_saved(sender: type[Batch], instance: Batch, **kwargs: Any) -> None:
    """A recalled batch recalls its codes (their public page then shows the recall)."""
    if instance.status == BatchStatus.RECALLED:
        recall_codes(instance)


def _migrated(sender: Any, **kwargs: Any) -> None:
    sync_presets()


def connect(app_config: Any) -> None:
    """Called from the app's ``ready()``."""
    post_save.connect(_batch_saved, sender=Batch, dispatch_uid="coding_batch_recall")
    post_migrate.connect(_migrated, sender=app_config, dispatch_uid="coding_presets")
