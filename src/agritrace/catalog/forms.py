"""Catalogue forms."""

from __future__ import annotations

from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.core.forms import DATE, ProducerOwnedForm, ScopedModelForm


class ProductForm(ProducerOwnedForm):
    """A product."""

    class Meta:
        model = Product
        fields = [
            "producer",
            "name",
            "category",
            "variety",
            "unit",
            "package_spec",
            "gtin",
            "photo",
            "shelf_life_days",
            "storage",
            "standards",
            "shop_url",
        ]


class CertificationForm(ProducerOwnedForm):
    """A certification or designation."""

    class Meta:
        model = Certification
        fields = [
            "producer",
            "kind",
            "name",
            "number",
            "issuer",
            "valid_from",
            "valid_to",
            "products",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}


class StandardForm(ScopedModelForm):
    """A production technical regulation."""

    class Meta:
        model = Standard
        fields = ["title", "number", "level", "producer", "document"]


class TrainingSessionForm(ProducerOwnedForm):
    """A standard-training session."""

    class Meta:
        model = TrainingSession
        fields = ["producer", "standard", "topic", "held_on", "trainer", "attendees"]
        widgets = {"held_on": DATE}
