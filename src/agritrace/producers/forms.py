"""Producer registry forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from agritrace.accounts.models import User
from agritrace.core.forms import DATE, ProducerOwnedForm, ScopedModelForm
from agritrace.core.validators import normalise_phone, normalise_uscc
from agritrace.producers.choices import ProducerStatus
from agritrace.producers.models import Equipment, Industry, Producer, ProductionBase, TracePoint
from agritrace.regions.models import Level, Region

PRODUCER_FIELDS = [
    "kind",
    "name",
    "uscc",
    "legal_representative",
    "contact_phone",
    "address",
    "township",
    "latitude",
    "longitude",
    "industries",
    "scale_producer",
    "leading_level",
    "national_registered",
    "national_registered_on",
    "national_account",
]


class ProducerCleaning(forms.ModelForm):
    """USCC and phone normalised before validation."""

    industries = forms.ModelMultipleChoiceField(
        queryset=Industry.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("产业"),
    )

    def clean_uscc(self) -> str:
        return normalise_uscc(self.cleaned_data["uscc"])

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"]
        return normalise_phone(value) if value else value


class ProducerForm(ProducerCleaning, ScopedModelForm):
    """Regulators' and owners' producer form (status changes are separate actions)."""

    class Meta:
        model = Producer
        fields = PRODUCER_FIELDS
        widgets = {"national_registered_on": DATE}


class RegistrationForm(ProducerCleaning):
    """Public self-registration: the producer and its owner account (2020 spec Art. 5)."""

    township = forms.ModelChoiceField(
        queryset=Region.objects.filter(level=Level.TOWNSHIP),
        label=_("所在乡镇（街道）"),
        widget=forms.TextInput(attrs={"placeholder": _("乡镇代码，可用上方区划搜索")}),
        to_field_name="code",
    )

    class Meta:
        model = Producer
        fields = [f for f in PRODUCER_FIELDS if not f.startswith("national_")]


class OwnerAccountForm(UserCreationForm):
    """The owner's login account."""

    class Meta:
        model = User
        fields = ["username", "phone"]


class ReviewForm(forms.Form):
    """A review decision: the status to move to and the reason (the service decides which
    moves are allowed and that a suspension needs one)."""

    to = forms.ChoiceField(label=_("状态"), choices=ProducerStatus.choices)
    note = forms.CharField(label=_("审核意见"), max_length=200, required=False)


class ProductionBaseForm(ProducerOwnedForm):
    """A production base."""

    class Meta:
        model = ProductionBase
        fields = [
            "producer",
            "name",
            "kind",
            "area_mu",
            "township",
            "address",
            "latitude",
            "longitude",
        ]


class TracePointForm(ScopedModelForm):
    """A trace point (producer) or trace service station (township station)."""

    class Meta:
        model = TracePoint
        fields = [
            "kind",
            "name",
            "producer",
            "organisation",
            "township",
            "address",
            "latitude",
            "longitude",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self.user, "producer_id", None):
            for name in ("kind", "producer", "organisation"):
                del self.fields[name]


class EquipmentForm(ScopedModelForm):
    """An equipment item."""

    class Meta:
        model = Equipment
        fields = [
            "category",
            "model_name",
            "serial_number",
            "dpi",
            "producer",
            "organisation",
            "trace_point",
            "acquired_on",
            "reused",
            "domestic",
            "status",
            "note",
        ]
        widgets = {"acquired_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self.user, "producer_id", None):
            for name in ("producer", "organisation"):
                del self.fields[name]
