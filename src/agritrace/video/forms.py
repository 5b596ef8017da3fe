"""Video forms."""

from __future__ import annotations

from typing import Any

from django import forms

from agritrace.core.forms import ProducerOwnedForm
from agritrace.video.models import Camera


class CameraForm(ProducerOwnedForm):
    """A camera; the HLS address is checked by the model (http/https, ``.m3u8``)."""

    class Meta:
        model = Camera
        fields = [
            "producer",
            "point_type",
            "name",
            "base",
            "location",
            "hls_url",
            "provider_note",
            "active",
        ]
        widgets = {"hls_url": forms.URLInput(attrs={"placeholder": "https://…/live.m3u8"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hls_url"].widget.attrs["inputmode"] = "url"
