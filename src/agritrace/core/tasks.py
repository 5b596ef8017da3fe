"""Background tasks of the core app (Django's tasks framework; ``agritrace db_worker`` runs
them)."""

from __future__ import annotations

from django.tasks import task

from agritrace.core.imports.runner import run_job
from agritrace.core.models import ImportJob


@task
def run_import(job_id: int) -> None:
    """Run an uploaded Excel import and record its progress and outcome on the job."""
    run_job(ImportJob.objects.select_related("user").get(pk=job_id))
