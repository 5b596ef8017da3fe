"""Coding forms: each saves through the rules in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import construct_instance
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agritrace.coding import labels
from agritrace.coding.models import MAX_SERIAL, Certificate, CodeRoll, LabelLayout, PrintJob
from agritrace.coding.services import certificates, minting, printing
from agritrace.core.forms import DATE, ProducerOwnedForm, ScopedModelForm, scoped_choices
from agritrace.production.models import Batch


class MintForm(ProducerOwnedForm):
    """Mint a roll of codes: bound to a batch now, or unbound for scan-to-bind later."""

    class Meta:
        model = CodeRoll
        fields = ["producer", "batch", "count", "note"]

    def save(self, commit: bool = True) -> CodeRoll:
        """Mint through the rules (ValidationError becomes the form's errors)."""
        roll = self.instance
        return minting.request_mint(
            roll.producer, roll.count, batch=roll.batch, user=self.user, note=roll.note
        )


class LabelLayoutForm(ProducerOwnedForm):
    """A label layout (elements as JSON; the presets show the format)."""

    class Meta:
        model = LabelLayout
        fields = ["producer", "name", "width_mm", "height_mm", "elements"]


class PrintJobForm(ScopedModelForm):
    """Print a range of a roll's codes."""

    sheet = forms.ChoiceField(
        label=_("A4 版面"),
        required=False,
        choices=[("", "—"), *((name, name) for name in labels.SHEETS)],
    )

    class Meta:
        model = PrintJob
        fields = ["roll", "first_serial", "last_serial", "layout", "output", "dpi", "sheet"]

    def _post_clean(self) -> None:
        """Only fill the instance: it is checked by ``printing.request_print`` on save."""
        construct_instance(self, self.instance, self._meta.fields)

    def save(self, commit: bool = True) -> PrintJob:
        return printing.request_print(self.instance, user=self.user)


class CertificateForm(ScopedModelForm):
    """Issue a certificate of compliance for a batch."""

    class Meta:
        model = Certificate
        fields = [
            "batch",
            "quantity",
            "issued_on",
            "basis",
            "test",
            "no_prohibited",
            "within_limits",
            "responsible",
            "signatory",
        ]
        widgets = {"issued_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate  # issued today unless told

    def _post_clean(self) -> None:
        """Only fill the instance: it is checked by ``certificates.issue_certificate`` on save."""
        construct_instance(self, self.instance, self._meta.fields)

    def save(self, commit: bool = True) -> Certificate:
        return certificates.issue_certificate(self.instance, user=self.user)


class BindForm(forms.Form):
    """Scan-to-bind: the chosen batch, the scanned code, optionally the last code of a range."""

    batch = forms.ModelChoiceField(label=_("批次"), queryset=Batch.objects.all())
    code = forms.CharField(label=_("追溯码"), max_length=300)
    last = forms.CharField(label=_("范围末码"), max_length=300, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["batch"].queryset = scoped_choices(
            Batch.objects.filter(status="active").select_related("product"), user
        )


class VoidForm(forms.Form):
    """Void a range of a roll's serials."""

    first_serial = forms.IntegerField(label=_("起始序号"), min_value=1, max_value=MAX_SERIAL)
    last_serial = forms.IntegerField(label=_("结束序号"), min_value=1, max_value=MAX_SERIAL)
    reason = forms.CharField(label=_("作废原因"), max_length=200)


class ReasonForm(forms.Form):
    """Why (voiding a certificate)."""

    reason = forms.CharField(label=_("作废原因"), max_length=200)


class CheckForm(forms.Form):
    """A market check: what the scanner read, and where."""

    scanned = forms.CharField(label=_("扫描内容"), max_length=300)
    market = forms.CharField(label=_("市场/查验点"), max_length=100, required=False)
