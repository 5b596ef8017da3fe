"""Background tasks of the coding app: large mints and print jobs (progress on the roll/job)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.tasks import task

from agritrace.coding.choices import TaskStatus
from agritrace.coding.models import CodeRoll, PrintJob
from agritrace.coding.services import minting, printing


@task
def mint_roll(roll_id: int) -> None:
    """Mint a roll's codes (resumes where a crashed run stopped)."""
    roll = CodeRoll.objects.get(pk=roll_id)
    try:
        minting.fill_roll(roll)
    except Exception as error:
        CodeRoll.objects.filter(pk=roll_id).update(status=TaskStatus.FAILED, error=str(error))
        raise


@task
def print_labels(job_id: int) -> None:
    """Render a print job's labels."""
    job = PrintJob.objects.select_related("roll", "layout", "producer").get(pk=job_id)
    try:
        printing.render_job(job)
    except ValidationError:
        return  # recorded on the job
