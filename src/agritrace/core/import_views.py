"""Excel import pages: choose a kind, download its template, upload; follow the job's progress
(htmx polling) and read or download its per-row error report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import CreateView, DetailView
from django.views.generic.detail import SingleObjectMixin

from agritrace.core import scoping
from agritrace.core.exports import xlsx_response
from agritrace.core.imports.importer import get_importer, importers_for
from agritrace.core.imports.sheets import ImportRefused, check_archive
from agritrace.core.imports.templates import error_report_bytes, template_bytes
from agritrace.core.models import ImportJob
from agritrace.core.tasks import run_import

#: Errors listed on the job page; the xlsx report has them all.
ERRORS_SHOWN = 500


class ImportForm(forms.ModelForm):
    """Kind (among those the user may add) and the workbook; the file's size and structure
    are checked at once, its rows by the background job."""

    kind = forms.ChoiceField(label=_("数据类型"))

    class Meta:
        model = ImportJob
        fields = ["kind", "file"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ".xlsx"})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in importers_for(user)]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_archive(upload, upload.size)
        except ImportRefused as exc:
            raise ValidationError(str(exc)) from None
        return upload


class MyJobs(LoginRequiredMixin):
    """The signed-in user's own import jobs."""

    request: HttpRequest

    def get_queryset(self) -> Any:
        return ImportJob.objects.filter(user=self.request.user)


class ImportHome(MyJobs, CreateView):
    """Kinds with their templates, the upload form and the user's recent jobs."""

    form_class = ImportForm
    template_name = "core/import_home.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "importers": importers_for(self.request.user),
            "jobs": self.get_queryset().defer("errors")[:20],
        }

    def form_valid(self, form: ImportForm) -> HttpResponse:
        form.instance.user = self.request.user
        form.instance.filename = form.cleaned_data["file"].name[:200]
        response = super().form_valid(form)
        run_import.enqueue(self.object.pk)
        return response


class ImportJobDetail(MyJobs, DetailView):
    """A job: progress bar (its fragment alone for htmx polls), then outcome and errors."""

    context_object_name = "job"

    def get_template_names(self) -> list[str]:
        if self.request.htmx:  # type: ignore[attr-defined]
            return ["core/import_status.html"]
        return ["core/import_job.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {"errors_shown": ERRORS_SHOWN}


class ImportErrorReport(MyJobs, SingleObjectMixin, View):
    """The job's per-row error report as xlsx."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        job = self.get_object()
        return xlsx_response(f"import-{job.pk}-errors", error_report_bytes(job.errors))


class ImportTemplate(LoginRequiredMixin, View):
    """The xlsx template of a kind."""

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        try:
            importer = get_importer(kind)
        except LookupError:
            raise Http404 from None
        if not scoping.may(request.user, importer.model, "add"):
            raise PermissionDenied
        return xlsx_response(f"template-{kind}", template_bytes(importer))
