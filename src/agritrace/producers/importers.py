"""Excel import of producers, and the lookups the other importers share: townships by code or
name and producers by USCC, both limited to the importing user's scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agritrace.core import scoping
from agritrace.core.imports.columns import Choice, Choices, Column, Text, date, number, yes_no
from agritrace.core.imports.importer import Importer, register, resolve_each
from agritrace.core.validators import normalise_phone, normalise_uscc
from agritrace.producers.choices import IndustryCode, LeadingLevel, ProducerKind
from agritrace.producers.models import Industry, Producer
from agritrace.regions.models import Level, Region

#: The column other importers use to name a producer.
PRODUCER_COLUMN = Column(
    "主体统一社会信用代码",
    "producer",
    Text(normalise_uscc),
    help=gettext_lazy("主体用户可留空（即本主体）；监管人员必填"),
    example="93430923MA4L000010",
)


class Townships:
    """Townships by 9-digit code, name, county and name, or full name, loaded once; only those
    in the user's region may be used."""

    def __init__(self, user: Any) -> None:
        region = None if scoping.is_unrestricted(user) else getattr(user, "scope_region", None)
        self.unrestricted = scoping.is_unrestricted(user)
        self.scope = region.path if region is not None else None
        self.by_code: dict[str, Region] = {}
        self.by_name: dict[str, list[Region]] = defaultdict(list)
        for township in Region.objects.filter(level=Level.TOWNSHIP).select_related("parent"):
            self.by_code[township.code] = township
            names = {township.name, township.full_name, f"{township.parent.name}{township.name}"}
            for name in names:
                self.by_name[name].append(township)

    def resolve(self, text: str) -> Region:
        """The township ``text`` names, in the user's scope."""
        found = [self.by_code[text]] if text in self.by_code else self.by_name.get(text, [])
        if not found:
            raise ValidationError(
                _("未找到乡镇（街道）“%(value)s”，请填写 9 位区划代码或名称") % {"value": text}
            )
        if len(found) > 1:
            raise ValidationError(
                _("有多个乡镇（街道）名为“%(value)s”，请填写 9 位区划代码") % {"value": text}
            )
        township = found[0]
        if not self.unrestricted and not (self.scope and township.path.startswith(self.scope)):
            raise ValidationError(
                _("乡镇（街道）“%(value)s”不在您的管辖范围内") % {"value": township.full_name}
            )
        return township


class Producers:
    """Producers the user may see, by USCC, loaded once; a producer user's own producer when
    the column is left blank."""

    def __init__(self, user: Any) -> None:
        self.own: int | None = getattr(user, "producer_id", None)
        self.unrestricted = scoping.is_unrestricted(user)
        self.by_uscc = dict(Producer.objects.restrict(user, "view").values_list("uscc", "id"))

    def resolve(self, uscc: str, *, shared: bool = False) -> int | None:
        """The producer's id; ``None`` (a shared entry) only for platform administrators when
        ``shared`` is allowed and the column is blank."""
        if not uscc:
            if self.own:
                return self.own
            if shared and self.unrestricted:
                return None
            raise ValidationError(_("请填写主体的统一社会信用代码"))
        producer_id = self.by_uscc.get(uscc)
        if producer_id is None:
            raise ValidationError(
                _("未找到统一社会信用代码为 %(value)s 的主体，或该主体不在您的管辖范围内")
                % {"value": uscc}
            )
        return producer_id


class PerProducer:
    """A producer's objects grouped by a key, loaded one producer at a time (one query per
    producer named in the file, not per row)."""

    def __init__(self, queryset: models.QuerySet, key: Callable[[Any], Hashable]) -> None:
        self.queryset = queryset
        self.key = key
        self.loaded: dict[int | None, dict[Hashable, list[Any]]] = {}

    def get(self, producer_id: int | None, key: Hashable) -> list[Any]:
        """The producer's objects with this key."""
        if producer_id not in self.loaded:
            groups: dict[Hashable, list[Any]] = defaultdict(list)
            for obj in self.queryset.filter(producer_id=producer_id):
                groups[self.key(obj)].append(obj)
            self.loaded[producer_id] = groups
        return self.loaded[producer_id].get(key, [])


@register
class ProducerImporter(Importer):
    """Producers registered by their township or county (status 待审核 like any new one)."""

    kind = "producers"
    label = gettext_lazy("生产经营主体")
    model = Producer
    columns = (
        Column(
            "主体名称",
            "name",
            required=True,
            help=gettext_lazy("营业执照上的名称"),
            example="示例农民专业合作社",
        ),
        Column("主体类型", "kind", Choice(ProducerKind), required=True, example="农民专业合作社"),
        Column(
            "统一社会信用代码",
            "uscc",
            Text(normalise_uscc),
            required=True,
            help=gettext_lazy("18 位，须未登记"),
            example="93430923MA4L000010",
        ),
        Column("法定代表人/负责人", "legal_representative", required=True, example="示例负责人"),
        Column(
            "联系电话", "contact_phone", Text(normalise_phone), help=gettext_lazy("手机或固定电话")
        ),
        Column(
            "所在乡镇（街道）",
            "township",
            required=True,
            help=gettext_lazy("9 位乡镇（街道）区划代码，或名称（重名时须填代码）"),
            example="430923100",
        ),
        Column("地址", "address", example="示例村一组"),
        Column("纬度", "latitude", number, help=gettext_lazy("WGS-84，与经度同时填写")),
        Column("经度", "longitude", number, help=gettext_lazy("WGS-84，与纬度同时填写")),
        Column("产业", "industries", Choices(IndustryCode), example="种植业"),
        Column("规模生产经营主体", "scale_producer", yes_no, example="否"),
        Column("龙头企业级别", "leading_level", Choice(LeadingLevel)),
        Column("已在国家追溯平台注册", "national_registered", yes_no, example="否"),
        Column("国家平台注册日期", "national_registered_on", date),
        Column("国家平台账号", "national_account"),
    )

    def __init__(self, user: Any) -> None:
        super().__init__(user)
        self.townships = Townships(user)
        self.industries = {industry.code: industry for industry in Industry.objects.all()}

    def resolve(self, row: dict[str, Any]) -> dict[str, Any]:
        row["industries"] = [self.industries[code] for code in row["industries"]]
        return resolve_each(row, {"township": lambda r: self.townships.resolve(r["township"])})
