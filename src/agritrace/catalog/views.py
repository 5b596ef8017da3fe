"""Catalogue pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from agritrace.catalog import forms
from agritrace.catalog.filters import (
    CertificationFilter,
    ProductFilter,
    StandardFilter,
    TrainingSessionFilter,
)
from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.catalog.services import id_card_grounds, id_card_required, produces_to_standard
from agritrace.core.tables import Col
from agritrace.core.views import CrudViews


class ProductViews(CrudViews):
    model = Product
    form_class = forms.ProductForm
    filterset_class = ProductFilter
    columns = (
        Col(_("产品名称"), "name", link=True),
        Col(_("生产经营主体"), "producer.name"),
        Col(_("产品类别"), "category"),
        Col(_("品种"), "variety"),
        Col(_("包装规格"), "package_spec"),
        Col(_("商品条码（GTIN）"), "gtin"),
        Col(_("须开具合格证"), "certificate_mandatory"),
    )
    related = ("producer",)
    detail_template = "catalog/product_detail.html"

    @staticmethod
    def detail_context(product: Product) -> dict[str, Any]:
        carded = id_card_required(Product.objects.filter(pk=product.pk)).get()
        return {
            "certifications": product.certifications.all(),
            "standards": product.standards.all(),
            "to_standard": produces_to_standard(product),
            "id_card": carded,
            "id_card_grounds": id_card_grounds(carded),
        }


class CertificationViews(CrudViews):
    model = Certification
    form_class = forms.CertificationForm
    filterset_class = CertificationFilter
    columns = (
        Col(_("类别"), "kind", link=True),
        Col(_("名称"), "name"),
        Col(_("证书编号"), "number"),
        Col(_("生产经营主体"), "producer.name"),
        Col(_("有效期至"), "valid_to"),
        Col(_("有效性"), "validity"),
    )
    related = ("producer",)


class StandardViews(CrudViews):
    model = Standard
    form_class = forms.StandardForm
    filterset_class = StandardFilter
    columns = (
        Col(_("标准编号"), "number", link=True),
        Col(_("标准名称"), "title"),
        Col(_("级别"), "level"),
        Col(_("生产经营主体"), "producer.name"),
    )
    related = ("producer",)


class TrainingViews(CrudViews):
    model = TrainingSession
    form_class = forms.TrainingSessionForm
    filterset_class = TrainingSessionFilter
    columns = (
        Col(_("培训日期"), "held_on", link=True),
        Col(_("培训主题"), "topic"),
        Col(_("生产经营主体"), "producer.name"),
        Col(_("培训标准"), "standard"),
        Col(_("授课人/单位"), "trainer"),
    )
    related = ("producer", "standard")
