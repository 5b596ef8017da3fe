"""Excel import of products, and the product lookup of the production importers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from agritrace.catalog.choices import Category, Unit
from agritrace.catalog.models import Product
from agritrace.core.imports.columns import Choice, Column, integer
from agritrace.core.imports.importer import Importer, one, register, resolve_each
from agritrace.producers.importers import PRODUCER_COLUMN, PerProducer, Producers

#: Columns naming a product of the row's producer.
PRODUCT_COLUMNS = (
    Column("产品名称", "product", example="示例大米"),
    Column(
        "产品品种",
        "product_variety",
        help=gettext_lazy("同名产品有多个品种时填写"),
    ),
)


class Products:
    """A producer's products by name (and variety when several share the name)."""

    def __init__(self, user: Any) -> None:
        self.products = PerProducer(Product.objects.restrict(user, "view"), lambda p: p.name)

    def resolve(self, producer_id: int, name: str, variety: str) -> Product | None:
        """The product, or ``None`` when no name is given."""
        if not name:
            return None
        candidates = self.products.get(producer_id, name)
        if variety:
            candidates = [p for p in candidates if p.variety == variety]
        return one(candidates, f"{name}{variety and f'（{variety}）'}", gettext_lazy("产品"))


@register
class ProductImporter(Importer):
    """A producer's products."""

    kind = "products"
    label = gettext_lazy("产品")
    model = Product
    columns = (
        PRODUCER_COLUMN,
        Column("产品名称", "name", required=True, example="示例大米"),
        Column("产品类别", "category", Choice(Category), required=True, example="粮食"),
        Column("品种", "variety", example="示例品种"),
        Column("计量单位", "unit", Choice(Unit), help=gettext_lazy("留空为千克"), example="千克"),
        Column("包装规格", "package_spec", help=gettext_lazy("如 500克/盒"), example="5千克/袋"),
        Column("商品条码（GTIN）", "gtin", help=gettext_lazy("8、12、13 或 14 位数字")),
        Column("网店链接", "shop_url"),
        Column("保质期（天）", "shelf_life_days", integer, example="180"),
        Column("贮存条件", "storage", example="常温、阴凉干燥处"),
    )

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.producers = Producers(user)

    def resolve(self, row: dict[str, Any]) -> dict[str, Any]:
        return resolve_each(row, {"producer": lambda r: self.producers.resolve(r["producer"])})
