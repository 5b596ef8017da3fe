"""Production forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agritrace.catalog.choices import Unit
from agritrace.catalog.models import Product
from agritrace.core.formats import quantity
from agritrace.core.forms import DATE, ProducerOwnedForm, ScopedModelForm, scoped_choices
from agritrace.core.validators import PAST
from agritrace.producers.models import ProductionBase
from agritrace.production import services
from agritrace.production.choices import HARVEST_KINDS, RecordKind
from agritrace.production.models import (
    MAX_QUANTITY,
    Batch,
    BatchLink,
    Input,
    InputPurchase,
    ProductionRecord,
    Shipment,
)


class InputForm(ProducerOwnedForm):
    """An input (a producer's own, or a shared one for regulators)."""

    class Meta:
        model = Input
        fields = [
            "kind",
            "name",
            "registration_number",
            "active_ingredient",
            "formulation",
            "manufacturer",
            "default_interval_days",
            "producer",
        ]


class InputPurchaseForm(ProducerOwnedForm):
    """An input purchase."""

    class Meta:
        model = InputPurchase
        fields = ["producer", "input", "supplier", "purchased_on", "quantity", "unit", "lot"]
        widgets = {"purchased_on": DATE}


class ProductionRecordForm(ProducerOwnedForm):
    """A production record; the pre-harvest interval rule is checked with the model rules."""

    class Meta:
        model = ProductionRecord
        fields = [
            "producer",
            "kind",
            "date",
            "base",
            "batch",
            "product",
            "input",
            "dose",
            "area_mu",
            "head_count",
            "target",
            "quantity",
            "unit",
            "counterpart",
            "operator",
            "note",
            "photo",
        ]
        widgets = {"date": DATE}

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors:
            try:
                services.validate_record(self.instance)
            except ValidationError as exc:
                self._update_errors(exc)


class BatchForm(ProducerOwnedForm):
    """A batch entered by hand (purchases); harvests create theirs through the harvest form."""

    class Meta:
        model = Batch
        fields = [
            "producer",
            "product",
            "number",
            "kind",
            "quantity",
            "unit",
            "produced_on",
            "bases",
            "supplier",
        ]
        widgets = {"produced_on": DATE}


class HarvestForm(forms.Form):
    """A harvest or slaughter on a base."""

    base = forms.ModelChoiceField(queryset=ProductionBase.objects.none(), label=_("基地"))
    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("产品"))
    kind = forms.ChoiceField(
        choices=[(k, RecordKind(k).label) for k in sorted(HARVEST_KINDS)], label=_("类型")
    )
    produced_on = forms.DateField(label=_("采收/屠宰日期"), widget=DATE, validators=PAST)
    quantity = forms.DecimalField(
        label=_("数量"), min_value=Decimal("0.001"), max_value=MAX_QUANTITY, decimal_places=3
    )
    unit = forms.ChoiceField(choices=Unit.choices, label=_("单位"))
    number = forms.CharField(label=_("批次号"), required=False, help_text=_("留空自动生成"))
    operator = forms.CharField(label=_("操作人"), required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["base"].queryset = ProductionBase.objects.restrict(user, "change")
        self.fields["product"].queryset = scoped_choices(Product.objects.all(), user)

    def save(self) -> Batch:
        """Record the harvest; rule violations become form errors."""
        data = self.cleaned_data
        return services.record_harvest(
            base=data["base"],
            product=data["product"],
            on=data["produced_on"],
            quantity=data["quantity"],
            unit=data["unit"],
            kind=data["kind"],
            operator=data["operator"],
            number=data["number"],
        )


class SplitForm(forms.Form):
    """Quantities of the parts, separated by commas or spaces."""

    quantities = forms.CharField(label=_("各份数量"), help_text=_("用逗号分隔，如 100, 50, 50"))

    def clean_quantities(self) -> list[Decimal]:
        """Each part is a quantity as the batch's own field bounds it (finite, 0.001 to 10⁸,
        three decimals); every part's error is named by its position."""
        part = BatchLink._meta.get_field("quantity").formfield()
        text = self.cleaned_data["quantities"].replace("，", ",").replace(" ", ",")
        values, errors = [], []
        for index, value in enumerate((v for v in text.split(",") if v), start=1):
            try:
                values.append(part.clean(value))
            except ValidationError as exc:
                errors += [_("第 %(n)s 份：%(e)s") % {"n": index, "e": e} for e in exc.messages]
        if errors:
            raise ValidationError(errors)
        if not values:
            raise ValidationError(_("请填写各份数量"))
        return values


class ShipmentForm(ScopedModelForm):
    """A shipment of part of a batch."""

    class Meta:
        model = Shipment
        fields = ["batch", "shipped_on", "quantity", "buyer", "buyer_kind", "destination"]
        widgets = {"shipped_on": DATE}

    def _post_clean(self) -> None:
        super()._post_clean()
        if not self.errors and self.instance.batch_id and self.instance.pk is None:
            left = services.remaining(self.instance.batch)
            if self.instance.quantity > left:
                self.add_error(
                    "quantity",
                    _("批次仅剩 %(left)s，不能发货 %(q)s")
                    % {"left": quantity(left), "q": quantity(self.instance.quantity)},
                )
