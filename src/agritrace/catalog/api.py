"""Catalogue API: products, certifications, standards, training sessions."""

from __future__ import annotations

from rest_framework import serializers

from agritrace.catalog.filters import (
    CertificationFilter,
    ProductFilter,
    StandardFilter,
    TrainingSessionFilter,
)
from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.core.api import ScopedModelSerializer, ScopedViewSet


class ProductSerializer(ScopedModelSerializer):
    """A product; ``certificate_mandatory`` follows its category."""

    certificate_mandatory = serializers.BooleanField(read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
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
            "certificate_mandatory",
        ]
        extra_kwargs = {"producer": {"required": False}}


class CertificationSerializer(ScopedModelSerializer):
    """A designation or certification with its derived validity."""

    validity = serializers.SerializerMethodField()

    class Meta:
        model = Certification
        fields = [
            "id",
            "producer",
            "kind",
            "number",
            "name",
            "issuer",
            "valid_from",
            "valid_to",
            "products",
            "validity",
        ]
        extra_kwargs = {"producer": {"required": False}}

    def get_validity(self, obj: Certification) -> str:
        return obj.validity()


class StandardSerializer(ScopedModelSerializer):
    """A production technical regulation."""

    class Meta:
        model = Standard
        fields = ["id", "title", "number", "level", "producer", "document"]


class TrainingSessionSerializer(ScopedModelSerializer):
    """A standard-training session."""

    class Meta:
        model = TrainingSession
        fields = ["id", "producer", "standard", "topic", "held_on", "trainer", "attendees"]
        extra_kwargs = {"producer": {"required": False}}


class ProductViewSet(ScopedViewSet):
    """Products of producers in scope."""

    queryset = Product.objects.select_related("producer").prefetch_related("standards")
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    search_fields = ["name", "variety", "gtin"]


class CertificationViewSet(ScopedViewSet):
    """Certifications and designations; expiring/expired ones raise warnings."""

    queryset = Certification.objects.select_related("producer").prefetch_related("products")
    serializer_class = CertificationSerializer
    filterset_class = CertificationFilter
    search_fields = ["number", "name", "issuer"]


class StandardViewSet(ScopedViewSet):
    """Standards: shared ones visible to all, enterprise ones scoped."""

    queryset = Standard.objects.select_related("producer")
    serializer_class = StandardSerializer
    filterset_class = StandardFilter
    search_fields = ["title", "number"]


class TrainingSessionViewSet(ScopedViewSet):
    """Standard-training sessions."""

    queryset = TrainingSession.objects.select_related("producer", "standard")
    serializer_class = TrainingSessionSerializer
    filterset_class = TrainingSessionFilter
    search_fields = ["topic", "trainer"]
