"""Coding choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeStatus(models.TextChoices):
    """A trace code's life: minted → printed → active (bound to a batch) → voided or recalled
    (issue 5; 2020 spec Art. 13 "一品一码")."""

    MINTED = "minted", _("已生成")
    PRINTED = "printed", _("已打印")
    ACTIVE = "active", _("已激活")
    VOIDED = "voided", _("已作废")
    RECALLED = "recalled", _("已召回")


#: Statuses a code may be bound from.
BINDABLE = (CodeStatus.MINTED, CodeStatus.PRINTED)
#: Statuses a code may be voided from.
VOIDABLE = (CodeStatus.MINTED, CodeStatus.PRINTED, CodeStatus.ACTIVE)


class CodeAction(models.TextChoices):
    """What a code event did."""

    MINT = "mint", _("生成")
    PRINT = "print", _("打印")
    REPRINT = "reprint", _("重印")
    BIND = "bind", _("绑定批次")
    ACTIVATE = "activate", _("激活")
    VOID = "void", _("作废")
    RECALL = "recall", _("召回")


class TaskStatus(models.TextChoices):
    """A background job's state."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class OutputFormat(models.TextChoices):
    """Label outputs (2020 spec Annex 1: thermal/thermal-transfer label printers)."""

    PDF_SHEET = "pdf_sheet", _("PDF（A4 多联）")
    PDF_ROLL = "pdf_roll", _("PDF（卷标，每页一张）")
    ZPL = "zpl", _("ZPL（斑马 Zebra）")
    TSPL = "tspl", _("TSPL（TSC/佳博/芯烨）")


class Dpi(models.IntegerChoices):
    """Printer resolutions (Annex 1: ≥ 203 dpi)."""

    DPI_203 = 203, "203 dpi"
    DPI_300 = 300, "300 dpi"


class Basis(models.TextChoices):
    """What a certificate of compliance rests on (农业农村部令2025年第4号: 质量安全控制符合要求、
    自行检测合格、委托检测合格)."""

    QUALITY_CONTROL = "quality_control", _("质量安全控制符合要求")
    SELF_TEST = "self_test", _("自行检测合格")
    COMMISSIONED_TEST = "commissioned_test", _("委托检测合格")


#: Bases that need the test record they rest on.
TEST_BASES = frozenset({Basis.SELF_TEST, Basis.COMMISSIONED_TEST})


class CheckedKind(models.TextChoices):
    """What a market check scanned."""

    TRACE_CODE = "trace_code", _("追溯码")
    CERTIFICATE = "certificate", _("合格证")
    UNKNOWN = "unknown", _("无法识别")
