"""Certification changes refresh their validity warning at once; a product's new photo is
cleaned and its smaller copies made as it is stored."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from agritrace.catalog.models import Certification, Product
from agritrace.catalog.services import refresh_certification_warning, store_photo


@receiver(post_save, sender=Certification, dispatch_uid="agritrace-certification-validity")
def _refresh(sender: Any, instance: Certification, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh_certification_warning(instance)


@receiver(pre_save, sender=Product, dispatch_uid="agritrace-product-photo")
def _photo(sender: Any, instance: Product, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        store_photo(instance)
