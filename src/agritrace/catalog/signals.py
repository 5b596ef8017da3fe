"""Certification changes refresh their validity warning at once."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from agritrace.catalog.models import Certification
from agritrace.catalog.services import refresh_certification_warning


@receiver(post_save, sender=Certification, dispatch_uid="agritrace-certification-validity")
def _refresh(sender: Any, instance: Certification, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_certification_warning(instance)
