"""Supervision forms: the public complaint form and the regulators' handling form; both save
through the rules in ``services`` (2020 spec Art. 23)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agritrace.regions.models import Region
from agritrace.supervision import services
from agritrace.supervision.models import Complaint, ComplaintCategory, ComplaintStatus


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several uploaded files as a list (checked by ``services.clean_photos``)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        cleaned = []
        for item in files:
            cleaned.append(super().clean(item, initial))
        return cleaned


class CountyChoiceField(forms.ModelChoiceField):
    """Counties by full name (市州 + 县市区)."""

    def label_from_instance(self, obj: Region) -> str:
        return obj.full_name


class ComplaintForm(forms.Form):
    """What anyone may submit without logging in: category, description, up to three photos,
    an optional contact; the trace code it came from, or a county when there is none."""

    category = forms.ChoiceField(
        label=_("投诉类别"), choices=[("", _("请选择")), *ComplaintCategory.choices]
    )
    description = forms.CharField(
        label=_("投诉内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("请说明购买时间、地点和发现的问题（最多 2000 字）"),
    )
    photos = PhotosField(
        label=_("照片"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("最多 3 张，每张不超过 5 MB，JPEG、PNG 或 WebP"),
    )
    code = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
    county = CountyChoiceField(
        label=_("问题发生地（县市区）"),
        queryset=Region.objects.none(),
        required=False,
    )
    contact_name = forms.CharField(label=_("联系人（选填）"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话（选填）"),
        max_length=20,
        required=False,
        help_text=_("仅供监管部门回访，不会公开"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = services.complaint_counties().select_related("parent")

    def save(self) -> Complaint:
        """File the complaint (ValidationError names the fields at fault)."""
        data = self.cleaned_data
        return services.file_complaint(
            category=data["category"],
            description=data["description"],
            code_text=data["code"],
            county=data["county"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            photos=data["photos"],
        )


class HandleForm(forms.Form):
    """A regulator's handling: the new status, the public reply, the internal note."""

    status = forms.ChoiceField(
        label=_("处理状态"),
        choices=[(s.value, s.label) for s in ComplaintStatus if s != ComplaintStatus.RECEIVED],
    )
    reply = forms.CharField(
        label=_("答复（公开，投诉人可凭编号查看）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    internal_note = forms.CharField(
        label=_("内部处理记录（不公开）"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
