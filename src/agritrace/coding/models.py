"""Trace codes, code events, label layouts, print jobs, certificates of compliance and market
checks (2020 spec Art. 13–14 "一品一码", Annex 1 label printers; 2021 notice "在产品包装上赋追溯码、
合格证、身份证"; 农业农村部令2025年第4号 on certificates of compliance)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agritrace.catalog.choices import Unit
from agritrace.coding import labels
from agritrace.coding.choices import (
    Basis,
    CheckedKind,
    CodeAction,
    CodeStatus,
    Dpi,
    OutputFormat,
    TaskStatus,
)
from agritrace.coding.labels.layout import MIN_DPI, PRINTER_DPI
from agritrace.core import codes
from agritrace.core.formats import parens
from agritrace.core.models import ScopedModel
from agritrace.core.permissions import (
    ALL_ROLES,
    MAINTAINERS,
    NOBODY,
    ORGANISATION_ROLES,
    READ_ONLY,
    added_by,
    kept_by,
    maintained_by,
)
from agritrace.core.scoping import ScopeRules
from agritrace.core.validators import PAST, between
from agritrace.production.models import POSITIVE

#: A producer's own people, and the registrars who help small producers (township stations
#: issue certificates on a farmer's behalf, 代开).
ISSUERS = MAINTAINERS
#: Rolls, print jobs and certificates are records the rules keep: never deleted (a roll's
#: note and a certificate's voiding are its only changes; print jobs never change).
ISSUED_SCOPE = ScopeRules(
    region=("producer__township",),
    producer="producer_id",
    grants=kept_by(ISSUERS),
)
#: Codes are made by minting only, changed by binding, voiding and recalling.
CODE_SCOPE = ScopeRules(
    region=ISSUED_SCOPE.region,
    producer=ISSUED_SCOPE.producer,
    grants={"view": ALL_ROLES, "add": NOBODY, "change": ISSUERS, "delete": NOBODY},
)
#: Logs: read only.
LOG_SCOPE = ScopeRules(
    region=ISSUED_SCOPE.region,
    producer=ISSUED_SCOPE.producer,
    grants=READ_ONLY,
)
#: Length of a trace code: 13 random Crockford-base32 characters (65 bits) + 1 check character.
CODE_LENGTH = 14


def new_certificate_number() -> str:
    """A certificate's number: the same unguessable, typo-checked code as trace codes."""
    return codes.new_code()


#: The largest serial (and count) of a roll, a print job or a code event: a billion codes.
MAX_SERIAL = 10**9


class CodeRoll(ScopedModel):
    """One minting run (码段): ``count`` codes with serials 1…count, optionally bound to a batch
    at once; large runs are minted by a background task that reports its progress."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="code_rolls",
    )
    batch = models.ForeignKey(
        "production.Batch",
        verbose_name=_("绑定批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="code_rolls",
        help_text=_("留空则生成未绑定的码卷，贴标时扫码绑定"),
    )
    count = models.PositiveIntegerField(
        verbose_name=_("数量"),
        validators=between(1, MAX_SERIAL),
    )
    minted = models.PositiveIntegerField(
        verbose_name=_("已生成"),
        default=0,
        validators=between(0, MAX_SERIAL),
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.QUEUED,
    )
    error = models.TextField(
        verbose_name=_("错误"),
        blank=True,
    )
    note = models.CharField(
        verbose_name=_("备注"),
        max_length=100,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_rules = ISSUED_SCOPE

    class Meta:
        verbose_name = _("码卷")
        verbose_name_plural = _("码卷")
        ordering = ["-id"]

    def __str__(self) -> str:
        return _("码卷 %(id)s（%(count)s 个）") % {"id": self.pk, "count": self.count}


class TraceCode(ScopedModel):
    """One trace code (追溯码): the string on the label (``code``) and the batch it is bound to.

    Its state changes are logged as :class:`CodeEvent` rows (one per operation, covering a
    range of serials), not in the per-object change log: a roll of 100,000 codes would
    otherwise write 100,000 change records.

    The foreign keys carry no database constraint: rows are only ever written by minting from
    an existing roll (``services.minting.fill_roll``) and the referenced rows are protected by
    ``on_delete=PROTECT``; checking a million references per mint halved its speed
    (docs/performance.md)."""

    code = models.CharField(
        verbose_name=_("追溯码"),
        max_length=CODE_LENGTH,
        unique=True,
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="trace_codes",
        db_constraint=False,
    )
    roll = models.ForeignKey(
        CodeRoll,
        verbose_name=_("码卷"),
        on_delete=models.PROTECT,
        related_name="codes",
        db_index=False,  # the unique (roll, serial) index serves
        db_constraint=False,
    )
    serial = models.PositiveIntegerField(
        verbose_name=_("卷内序号"),
        validators=between(1, MAX_SERIAL),
    )
    batch = models.ForeignKey(
        "production.Batch",
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trace_codes",
        db_index=False,  # the (batch, status) index serves
        db_constraint=False,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=10,
        choices=CodeStatus.choices,
        default=CodeStatus.MINTED,
    )
    scans = models.PositiveIntegerField(
        verbose_name=_("扫码次数"),
        default=0,
        validators=between(0, MAX_SERIAL),
    )
    first_scanned_at = models.DateTimeField(
        verbose_name=_("首次扫码时间"),
        null=True,
        blank=True,
        validators=PAST,
    )

    scope_rules = CODE_SCOPE

    class Meta:
        verbose_name = _("追溯码")
        verbose_name_plural = _("追溯码")
        ordering = ["roll", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["roll", "serial"], name="trace_code_serial_unique")
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return self.code


class CodeEvent(ScopedModel):
    """One change of state of one code or of a range of a roll's serials: who, when, what."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(
        verbose_name=_("操作"),
        max_length=10,
        choices=CodeAction.choices,
    )
    roll = models.ForeignKey(
        CodeRoll,
        verbose_name=_("码卷"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    first_serial = models.PositiveIntegerField(
        verbose_name=_("起始序号"),
        validators=between(1, MAX_SERIAL),
    )
    last_serial = models.PositiveIntegerField(
        verbose_name=_("结束序号"),
        validators=between(1, MAX_SERIAL),
    )
    count = models.PositiveIntegerField(
        verbose_name=_("涉及码数"),
        validators=between(1, MAX_SERIAL),
    )
    code = models.ForeignKey(
        TraceCode,
        verbose_name=_("追溯码"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    batch = models.ForeignKey(
        "production.Batch",
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_status = models.CharField(
        verbose_name=_("变更为"),
        max_length=10,
        choices=CodeStatus.choices,
    )
    reason = models.CharField(
        verbose_name=_("原因"),
        max_length=200,
        blank=True,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_rules = LOG_SCOPE

    class Meta:
        verbose_name = _("追溯码操作记录")
        verbose_name_plural = _("追溯码操作记录")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.roll_id}:{self.first_serial}-{self.last_serial}"


class LabelLayout(ScopedModel):
    """A label layout as data (size in mm, QR/text/logo elements); the presets for common roll
    sizes belong to no producer and are shared by all."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="label_layouts",
        help_text=_("留空为全平台共用的预设版式"),
    )
    name = models.CharField(
        verbose_name=_("名称"),
        max_length=50,
    )
    width_mm = models.DecimalField(
        verbose_name=_("宽（毫米）"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("10")), MaxValueValidator(Decimal("210"))],
    )
    height_mm = models.DecimalField(
        verbose_name=_("高（毫米）"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("10")), MaxValueValidator(Decimal("297"))],
    )
    elements = models.JSONField(
        verbose_name=_("元素"),
        default=list,
        help_text=_(
            '例：[{"type": "qr", "x_mm": 1, "y_mm": 1, "size_mm": 22}, {"type": "text", '
            '"x_mm": 23.5, "y_mm": 2, "size_mm": 3, "width_mm": 25, "source": "line:0"}]；'
            'source 可为 code（追溯码）、line:0–2（产品、批次、主体）或 text（配合 "text" 字段）'
        ),
    )

    scope_rules = ScopeRules(
        region=ISSUED_SCOPE.region,
        producer=ISSUED_SCOPE.producer,
        grants=maintained_by(ISSUERS),
        shared="producer",
    )

    class Meta:
        verbose_name = _("标签版式")
        verbose_name_plural = _("标签版式")
        ordering = ["producer_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "name"],
                name="label_layout_name_unique",
                violation_error_message=_("已有同名版式"),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(producer=None),
                name="label_preset_name_unique",
                violation_error_message=_("已有同名预设版式"),
            ),
        ]

    def __str__(self) -> str:
        return self.name + parens(f"{self.width_mm:g}×{self.height_mm:g} mm")

    def clean(self) -> None:
        """The layout must be valid and fit its own label."""
        super().clean()
        if self.width_mm is not None and self.height_mm is not None:
            self.as_layout()

    def as_layout(self) -> labels.Layout:
        """This layout as the renderer's :class:`labels.Layout` (ValidationError if invalid)."""
        return labels.Layout.from_dict(
            {
                "width_mm": float(self.width_mm),
                "height_mm": float(self.height_mm),
                "elements": self.elements,
            }
        )


class PrintJob(ScopedModel):
    """A print job: which codes (a roll's serial range), which layout and output; logged with
    who and when, marks the codes printed, and says when it reprints codes printed before."""

    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="print_jobs",
    )
    roll = models.ForeignKey(
        CodeRoll,
        verbose_name=_("码卷"),
        on_delete=models.PROTECT,
        related_name="print_jobs",
    )
    first_serial = models.PositiveIntegerField(
        verbose_name=_("起始序号"),
        default=1,
        validators=between(1, MAX_SERIAL),
    )
    last_serial = models.PositiveIntegerField(
        verbose_name=_("结束序号"),
        validators=between(1, MAX_SERIAL),
    )
    layout = models.ForeignKey(
        LabelLayout,
        verbose_name=_("标签版式"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    output = models.CharField(
        verbose_name=_("输出格式"),
        max_length=10,
        choices=OutputFormat.choices,
        default=OutputFormat.PDF_ROLL,
    )
    dpi = models.PositiveSmallIntegerField(
        verbose_name=_("打印机分辨率"),
        choices=Dpi.choices,
        default=Dpi.DPI_203,
        validators=between(MIN_DPI, max(PRINTER_DPI)),
    )
    sheet = models.CharField(
        verbose_name=_("A4 版面"),
        max_length=20,
        blank=True,
        help_text=_("PDF A4 多联时选择"),
    )
    reprint = models.BooleanField(
        verbose_name=_("重印"),
        default=False,
        editable=False,
    )
    status = models.CharField(
        verbose_name=_("状态"),
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.QUEUED,
    )
    progress = models.PositiveIntegerField(
        verbose_name=_("已完成"),
        default=0,
        validators=between(0, MAX_SERIAL),
    )
    file = models.FileField(
        verbose_name=_("文件"),
        upload_to="labels/%Y/%m/",
        blank=True,
    )
    error = models.TextField(
        verbose_name=_("错误"),
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finished_at = models.DateTimeField(
        verbose_name=_("完成时间"),
        null=True,
        blank=True,
        validators=PAST,
    )

    scope_rules = ScopeRules(
        region=ISSUED_SCOPE.region,
        producer=ISSUED_SCOPE.producer,
        grants=added_by(ISSUERS),
    )

    class Meta:
        verbose_name = _("打印任务")
        verbose_name_plural = _("打印任务")
        ordering = ["-id"]

    def __str__(self) -> str:
        return _("打印任务 %(id)s") % {"id": self.pk}

    @property
    def count(self) -> int:
        """How many labels."""
        return max(0, (self.last_serial or 0) - (self.first_serial or 0) + 1)


class Certificate(ScopedModel):
    """A certificate of compliance (承诺达标合格证), issued per batch at the origin; the product,
    producer and contact are copied at issue, as printed. Never deleted (kept ≥ 2 years by
    农业农村部令2025年第4号); a mistaken one is voided with a reason."""

    number = models.CharField(
        verbose_name=_("合格证编号"),
        max_length=CODE_LENGTH,
        unique=True,
        default=new_certificate_number,
        editable=False,
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    batch = models.ForeignKey(
        "production.Batch",
        verbose_name=_("批次"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    product_name = models.CharField(
        verbose_name=_("产品名称"),
        max_length=100,
        editable=False,
    )
    quantity = models.DecimalField(
        verbose_name=_("数量（重量）"),
        max_digits=14,
        decimal_places=3,
        validators=POSITIVE,
    )
    unit = models.CharField(
        verbose_name=_("单位"),
        max_length=8,
        choices=Unit.choices,
        editable=False,
    )
    producer_name = models.CharField(
        verbose_name=_("生产者名称"),
        max_length=100,
        editable=False,
    )
    contact_phone = models.CharField(
        verbose_name=_("联系方式"),
        max_length=20,
        editable=False,
    )
    origin = models.CharField(
        verbose_name=_("产地"),
        # A region's full name, a space and an address, each at its longest.
        max_length=401,
        editable=False,
    )
    issued_on = models.DateField(
        verbose_name=_("开具日期"),
        default=timezone.localdate,
        validators=PAST,
    )
    basis = models.CharField(
        verbose_name=_("承诺依据"),
        max_length=20,
        choices=Basis.choices,
    )
    test = models.ForeignKey(
        "testing.TestRecord",
        verbose_name=_("检测记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        help_text=_("依据为自行检测或委托检测时必填"),
    )
    no_prohibited = models.BooleanField(
        verbose_name=_("不使用禁用农药兽药、停用兽药和非法添加物"),
        default=False,
    )
    within_limits = models.BooleanField(
        verbose_name=_("常规农药兽药残留不超标"),
        default=False,
    )
    responsible = models.BooleanField(
        verbose_name=_("对承诺的真实性负责"),
        default=False,
    )
    signatory = models.CharField(
        verbose_name=_("生产者签名"),
        max_length=50,
    )
    voided = models.BooleanField(
        verbose_name=_("已作废"),
        default=False,
        editable=False,
    )
    void_reason = models.CharField(
        verbose_name=_("作废原因"),
        max_length=200,
        blank=True,
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开具人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_rules = ISSUED_SCOPE

    class Meta:
        verbose_name = _("承诺达标合格证")
        verbose_name_plural = _("承诺达标合格证")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class MarketCheck(ScopedModel):
    """A market-access check (市场准入查验): a trace code or certificate scanned at a market, the
    verdict, and where and by whom (2020 spec Art. 14: 合格证 as the market access voucher)."""

    scanned = models.CharField(
        verbose_name=_("扫描内容"),
        max_length=300,
    )
    kind = models.CharField(
        verbose_name=_("类别"),
        max_length=12,
        choices=CheckedKind.choices,
    )
    valid = models.BooleanField(
        verbose_name=_("有效"),
    )
    reason = models.CharField(
        verbose_name=_("说明"),
        max_length=200,
    )
    market = models.CharField(
        verbose_name=_("市场/查验点"),
        max_length=100,
        blank=True,
    )
    trace_code = models.ForeignKey(
        TraceCode,
        verbose_name=_("追溯码"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_checks",
    )
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("合格证"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="market_checks",
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("查验地区"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查验人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    scope_rules = ScopeRules(
        region=("region", "producer__township"),
        producer="producer_id",
        grants={
            "view": ALL_ROLES,
            "add": ORGANISATION_ROLES,
            "change": NOBODY,
            "delete": NOBODY,
        },
    )

    class Meta:
        verbose_name = _("市场准入查验")
        verbose_name_plural = _("市场准入查验")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.scanned[:20]}"

    def clean(self) -> None:
        """A check is of one thing at most."""
        super().clean()
        if self.trace_code_id and self.certificate_id:
            raise ValidationError(_("一次查验只针对一个追溯码或一张合格证"))
