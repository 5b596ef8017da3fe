"""Testing forms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from agritrace.core.forms import DATE, MOMENT, ProducerOwnedForm, ScopedModelForm
from agritrace.testing import services
from agritrace.testing.models import Device, SelfTestPlan, Technician, TestRecord


class HeldForm(ScopedModelForm):
    """Something held by a producer or an organisation; producer users hold their own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self.user, "producer_id", None):
            self.fields.pop("producer", None)
            self.fields.pop("organisation", None)


class TechnicianForm(HeldForm):
    """A technician."""

    class Meta:
        model = Technician
        fields = ["name", "certificate", "producer", "organisation", "active"]


class DeviceForm(HeldForm):
    """A rapid-test device."""

    class Meta:
        model = Device
        fields = [
            "kind",
            "model_name",
            "serial",
            "producer",
            "organisation",
            "calibrated_on",
            "active",
        ]
        widgets = {"calibrated_on": DATE}


class SelfTestPlanForm(ProducerOwnedForm):
    """A self-test plan."""

    class Meta:
        model = SelfTestPlan
        fields = [
            "producer",
            "product",
            "method",
            "items",
            "times",
            "period",
            "valid_from",
            "valid_to",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}


class TestRecordForm(ProducerOwnedForm):
    """A test entered by hand (lab reports, manual rapid tests); judged by the rules."""

    __test__ = False

    class Meta:
        model = TestRecord
        fields = [
            "producer",
            "batch",
            "product",
            "sample_name",
            "sampling_place",
            "sampled_at",
            "sampler",
            "purpose",
            "ordered_by",
            "method",
            "item",
            "tested_at",
            "technician",
            "tester_name",
            "inhibition_rate",
            "control_line",
            "t_line",
            "value",
            "unit",
            "limit",
            "limit_source",
            "laboratory",
            "report",
            "retest_of",
        ]
        widgets = {"sampled_at": MOMENT, "tested_at": MOMENT}

    def _post_clean(self) -> None:
        self.instance.result = "negative"  # judged below; keeps full_clean from asking for it
        super()._post_clean()
        if not self.errors:
            try:
                services.check(self.instance)
            except ValidationError as exc:
                self._update_errors(exc)

    def save(self, commit: bool = True) -> TestRecord:
        """Stored through the rules, with the consequences of a failing result."""
        self.instance.recorded_by = self.user
        return services.record_test(self.instance)
