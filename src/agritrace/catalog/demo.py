"""Demo catalogue: products for every demo producer (with shelf life, storage and, for every
other producer, a drawn picture standing in for a photo), certifications and brands (some expiring,
so warnings show), shared standards, enterprise standards and training sessions."""

from __future__ import annotations

import datetime as dt
import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from agritrace.catalog.models import Certification, Product, Standard, TrainingSession
from agritrace.core.demodata import MARK, DemoContext
from agritrace.producers.models import Producer

#: Producer name fragment → products (name, category, unit, package spec).
PRODUCTS = {
    "茶业": [
        ("茶叶鲜叶（示例）", "tea_fresh", "kg", ""),
        ("安化黑茶（示例）", "tea", "kg", "1千克/块"),
    ],
    "蔬菜": [
        ("白菜（示例）", "vegetable", "kg", "5千克/箱"),
        ("辣椒（示例）", "vegetable", "kg", "5千克/箱"),
    ],
    "家庭农场": [("脐橙（示例）", "fruit", "kg", "10千克/箱")],
    "生猪": [("生猪（示例）", "livestock", "head", "")],
    "水产": [("草鱼（示例）", "aquatic", "kg", "")],
    "水稻": [("稻谷（示例）", "grain", "kg", "25千克/袋")],
}
#: Category → (shelf life in days, storage conditions) printed on the demo ID cards.
KEEPING = {
    "tea_fresh": (2, "0–5℃冷藏，当日加工"),
    "tea": (3650, "清洁、通风、避光、干燥、无异味处存放"),
    "vegetable": (7, "0–4℃冷藏"),
    "fruit": (60, "阴凉通风处存放，避免挤压"),
    "aquatic": (3, "活鱼暂养或 0–4℃冷藏"),
    "grain": (365, "阴凉干燥处存放，防虫防潮"),
}
#: Category → the colours of its demo picture (a drawn placeholder, not a real photograph).
PICTURE_COLOURS = {
    "tea_fresh": ("#dfeccf", "#3f7d20"),
    "tea": ("#efe2cf", "#5b3a1e"),
    "vegetable": ("#e8f3dc", "#4d8b31"),
    "fruit": ("#fff1d6", "#e58a00"),
    "livestock": ("#f6e7e1", "#a0522d"),
    "aquatic": ("#dcecf5", "#2f6f95"),
    "grain": ("#fbf3d5", "#c49a1a"),
}


@functools.cache
def picture(category: str) -> bytes:
    """A drawn 800×800 JPEG standing in for a product photo in the demo."""
    ground, shape = PICTURE_COLOURS.get(category, ("#eeeeee", "#777777"))
    image = Image.new("RGB", (800, 800), ground)
    draw = ImageDraw.Draw(image)
    draw.ellipse((180, 160, 620, 640), fill=shape)
    draw.rectangle((390, 600, 410, 720), fill=shape)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


#: Shared standards (titles are descriptive; numbers are placeholders marked 示例).
SHARED_STANDARDS = [
    ("绿色食品 茶叶（示例）", "NY/T 示例-1", "industry"),
    ("安化黑茶加工技术规程（示例）", "DB43/T 示例-2", "local"),
    ("蔬菜农药残留限量（示例）", "GB 示例-3", "national"),
]


def load(ctx: DemoContext) -> None:
    """Idempotent: producers that already have products are skipped."""
    today = timezone.localdate()
    shared = [
        Standard.objects.get_or_create(number=number, defaults={"title": title, "level": level})[0]
        for title, number, level in SHARED_STANDARDS
    ]
    producers = Producer.objects.filter(name__contains=MARK, products__isnull=True).order_by("id")
    for index, producer in enumerate(producers):
        specs = next((v for k, v in PRODUCTS.items() if k in producer.name), PRODUCTS["水稻"])
        products = [
            Product.objects.create(
                producer=producer,
                name=name,
                category=category,
                unit=unit,
                package_spec=spec,
                shop_url=f"https://shop.example.com/{producer.identity_code.lower()}"
                if index % 3
                else "",
                shelf_life_days=KEEPING.get(category, (None, ""))[0],
                storage=KEEPING.get(category, (None, ""))[1],
                photo=SimpleUploadedFile(f"{category}.jpg", picture(category))
                if index % 2 == 0
                else "",
            )
            for name, category, unit, spec in specs
        ]
        ctx.count("products", len(products))
        for product in products:
            product.standards.add(shared[1] if product.category.startswith("tea") else shared[2])
        if index % 2 == 0:
            TrainingSession.objects.create(
                producer=producer,
                standard=shared[1] if "茶" in producer.name else shared[2],
                topic=f"{MARK}标准化生产培训",
                held_on=today - dt.timedelta(days=60 + index % 30),
                trainer=f"{MARK}县农技推广中心",
                attendees="示例学员甲\n示例学员乙\n示例学员丙",
            )
        certify(producer, products, index, today)
        ctx.count("certifications", producer.certifications.count())


def certify(producer: Producer, products: list[Product], index: int, today: dt.date) -> None:
    """Green food for every third producer (a few expiring within 30 days or expired), the
    安化黑茶 regional brand for tea producers, a trademark for enterprises."""
    if index % 3 == 0:
        valid_to = today + dt.timedelta(days=(20, 400, -5, 700)[index % 4])
        green = Certification.objects.create(
            producer=producer,
            kind="green_food",
            number=f"LB-示例-{index:06d}",
            issuer=f"{MARK}绿色食品发展中心",
            valid_from=valid_to - dt.timedelta(days=3 * 365),
            valid_to=valid_to,
        )
        green.products.set(products)
    if "茶业" in producer.name:
        brand = Certification.objects.create(
            producer=producer, kind="regional_brand", name="安化黑茶", issuer=f"{MARK}茶业协会"
        )
        brand.products.set(products[1:])
    if producer.kind == "enterprise":
        Certification.objects.create(
            producer=producer,
            kind="trademark",
            name=f"{producer.name[:4]}牌",
            number=f"示例{index:07d}",
        )
