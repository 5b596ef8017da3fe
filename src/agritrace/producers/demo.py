"""Demo producers: about a dozen clearly fictitious producers (names marked 示例, USCCs with
valid check characters, no real people or phone numbers) in every pilot county, with bases,
trace points and equipment; plus the producer demo accounts."""

from __future__ import annotations

from decimal import Decimal

from stdnum.cn import uscc

from agritrace.accounts.demo import pilot_counties, user
from agritrace.core.demodata import MARK, DemoContext
from agritrace.core.permissions import Role
from agritrace.producers.choices import (
    BaseKind,
    EquipmentCategory,
    IndustryCode,
    LeadingLevel,
    ProducerKind,
    ProducerStatus,
    TracePointKind,
)
from agritrace.producers.models import Equipment, Industry, Producer, ProductionBase, TracePoint
from agritrace.regions.models import Region

PER_COUNTY = 13
#: (kind, USCC type digits, name pattern, industry, base kind)
TEMPLATES = (
    (
        ProducerKind.ENTERPRISE,
        "91",
        "{place}{MARK}茶业有限公司",
        IndustryCode.PLANTING,
        BaseKind.TEA_GARDEN,
    ),
    (
        ProducerKind.COOPERATIVE,
        "93",
        "{place}{MARK}蔬菜专业合作社",
        IndustryCode.PLANTING,
        BaseKind.GREENHOUSE,
    ),
    (
        ProducerKind.FAMILY_FARM,
        "92",
        "{place}{MARK}家庭农场",
        IndustryCode.PLANTING,
        BaseKind.ORCHARD,
    ),
    (
        ProducerKind.COOPERATIVE,
        "93",
        "{place}{MARK}生猪养殖合作社",
        IndustryCode.LIVESTOCK,
        BaseKind.LIVESTOCK_FARM,
    ),
    (
        ProducerKind.ENTERPRISE,
        "91",
        "{place}{MARK}水产有限公司",
        IndustryCode.AQUACULTURE,
        BaseKind.POND,
    ),
    (
        ProducerKind.LARGE_GROWER,
        "92",
        "{place}{MARK}水稻种植大户",
        IndustryCode.PLANTING,
        BaseKind.FIELD,
    ),
)
BASIC_KIT = (
    EquipmentCategory.DESKTOP,
    EquipmentCategory.MOBILE_TERMINAL,
    EquipmentCategory.SCANNER,
)


def demo_uscc(type_digits: str, county_code: str, serial: int) -> str:
    """A USCC with a valid check character and an obviously fictitious organisation code."""
    body = f"{type_digits}{county_code}DEM{serial:05d}X"[:17]
    return body + uscc.calc_check_digit(body)


def load(ctx: DemoContext) -> None:
    """Producers in every pilot county; the first two of 安化 get demo owner accounts."""
    industries = {industry.code: industry for industry in Industry.objects.all()}
    serial = 0
    for county in pilot_counties():
        townships = list(county.children.order_by("code"))
        for index in range(PER_COUNTY):
            serial += 1
            kind, type_digits, pattern, industry, base_kind = TEMPLATES[index % len(TEMPLATES)]
            township = townships[index % len(townships)]
            code = demo_uscc(type_digits, county.code, serial)
            if Producer.objects.filter(uscc=code).exists():
                continue
            create_producer(
                ctx, code, kind, pattern, industries[industry], base_kind, township, index
            )
    anhua = Region.objects.get(code="430923")
    first, second = Producer.objects.filter(township__parent=anhua).order_by("id")[:2]
    user(
        ctx,
        f"主体负责人 / producer owner A ({first.name})",
        "producer_a",
        producer=first,
        role=Role.OWNER,
        first_name="示例主体A",
    )
    user(
        ctx,
        f"主体负责人 / producer owner B ({second.name})",
        "producer_b",
        producer=second,
        role=Role.OWNER,
        first_name="示例主体B",
    )
    user(
        ctx,
        f"主体工作人员 / producer staff ({first.name})",
        "producer_a_staff",
        producer=first,
        role=Role.STAFF,
        first_name="示例员工",
    )


def create_producer(
    ctx: DemoContext,
    code: str,
    kind: str,
    pattern: str,
    industry: Industry,
    base_kind: str,
    township: Region,
    index: int,
) -> None:
    """One producer with a base, a trace point and some equipment."""
    rng = ctx.rng
    place = township.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
    latitude = Decimal("27.5") + Decimal(rng.randint(0, 15000)) / 10000
    longitude = Decimal("110.5") + Decimal(rng.randint(0, 20000)) / 10000
    producer = Producer(
        kind=kind,
        name=pattern.format(place=place, MARK=MARK),
        uscc=code,
        legal_representative=f"{MARK}负责人",
        address=f"{township.full_name}{MARK}村{index + 1}组",
        township=township,
        latitude=latitude,
        longitude=longitude,
        scale_producer=kind != ProducerKind.INDIVIDUAL,
        leading_level=(
            LeadingLevel.PROVINCIAL if index == 0 else LeadingLevel.CITY if index == 6 else ""
        ),
        national_registered=index % 3 != 2,
        status=ProducerStatus.APPLIED if index == PER_COUNTY - 1 else ProducerStatus.APPROVED,
    )
    if Producer.objects.filter(name=producer.name, township=township).exists():
        producer.name = f"{producer.name}（{index + 1}）"
    producer.full_clean()
    producer.save()
    producer.industries.set([industry])
    ProductionBase.objects.create(
        producer=producer,
        name=f"{place}{MARK}基地",
        kind=base_kind,
        area_mu=Decimal(rng.randint(20, 800)),
        township=township,
        latitude=latitude,
        longitude=longitude,
    )
    point = TracePoint.objects.create(
        kind=TracePointKind.PRODUCER_POINT,
        name=f"{producer.name}追溯网点",
        producer=producer,
        township=township,
    )
    kit = list(BASIC_KIT)
    if index % 4 != 3:
        kit.append(EquipmentCategory.LABEL_PRINTER)
    for category in kit:
        Equipment.objects.create(
            category=category,
            producer=producer,
            trace_point=point,
            dpi=203 if category == EquipmentCategory.LABEL_PRINTER else None,
            model_name=f"{MARK}型号",
        )
    ctx.count("producers", 1)
