"""The guided flow on a batch's page (issue 13, part 3): test → certificate → codes → labels,
each step enabled when its rule allows and saying why not, done steps with their result."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

from django.utils import timezone

from agritrace.coding.choices import OutputFormat
from agritrace.coding.models import LabelLayout, PrintJob
from agritrace.coding.services import certificates, minting, printing
from agritrace.coding.tests.test_certificates import draft
from agritrace.conftest import World, make_user
from agritrace.core.permissions import Role
from agritrace.production.flow import steps
from agritrace.testing import services as testing
from agritrace.testing.models import TestRecord


def flow(world: World, persona: str = "producer_a") -> dict:
    batch = world.deps["A"]["batch"]
    batch.refresh_from_db()
    return {step.key: step for step in steps(batch, world.users[persona])}


def page(world: World, persona: str = "producer_a") -> str:
    batch = world.deps["A"]["batch"]
    return world.client(persona).get(f"/batches/{batch.pk}/").content.decode()


def failing_test(world: World) -> TestRecord:
    return testing.record_test(
        TestRecord(
            producer=world.producers["A"],
            batch=world.deps["A"]["batch"],
            sample_name="示例样品",
            method="enzyme",
            item="有机磷",
            tested_at=timezone.now(),
            inhibition_rate=70,
        )
    )


def test_a_fresh_batch_can_be_tested_and_certified_but_has_nothing_to_print(world: World):
    found = flow(world)
    assert list(found) == ["test", "certificate", "codes", "labels"]
    assert found["test"].enabled and not found["test"].done
    assert found["certificate"].enabled and found["codes"].enabled
    labels = found["labels"]
    assert not labels.enabled and "尚无追溯码" in labels.reason
    html = page(world)
    assert 'data-testid="flow"' in html
    assert re.search(r'<button[^>]*disabled[^>]*data-testid="do-labels"', html)
    # the certificate button opens the form for this batch, with what is left to certify
    url = unescape(re.search(r'href="([^"]+)" data-testid="do-certificate"', html).group(1))
    form = world.client("producer_a").get(url).content.decode()
    batch = world.deps["A"]["batch"]
    assert re.search(rf'<option value="{batch.pk}" selected', form)
    assert 'name="quantity" value="1000"' in form


def test_a_positive_test_blocks_the_certificate_and_the_codes_saying_why(world: World):
    """The reasons are the rules' own: the certificate's blockers, ``usable_batch``."""
    failed = failing_test(world)
    found = flow(world)
    certificate, codes = found["certificate"], found["codes"]
    assert not certificate.enabled and "有机磷" in certificate.reason
    assert not codes.enabled and "不能赋码" in codes.reason
    test = found["test"]
    assert test.done and "阳性" in test.status
    assert test.action == "录入复检" and f"retest_of={failed.pk}" in test.url
    html = page(world)
    assert re.search(r'<button[^>]*disabled[^>]*data-testid="do-certificate"', html)
    assert "尚无合格复检" in html


def test_done_steps_show_their_results_and_printing_opens_once_codes_exist(world: World):
    batch = world.deps["A"]["batch"]
    certificate = certificates.issue_certificate(draft(world, quantity=Decimal("1000")))
    found = flow(world)
    assert found["certificate"].done and certificate.number in found["certificate"].status
    assert not found["certificate"].enabled and "全部数量" in found["certificate"].reason
    roll = minting.request_mint(world.producers["A"], 5, batch=batch)
    found = flow(world)
    assert found["codes"].done and "已绑定 5 个" in found["codes"].status
    labels = found["labels"]
    assert labels.enabled and f"roll={roll.pk}" in labels.url and "last_serial=5" in labels.url
    printing.sync_presets()
    printing.request_print(
        PrintJob(
            roll=roll,
            first_serial=1,
            last_serial=5,
            output=OutputFormat.ZPL,
            layout=LabelLayout.objects.get(producer=None, name="50x30"),
        )
    )
    found = flow(world)
    assert found["labels"].done and "共 5 张" in found["labels"].status
    assert "已激活 5" in found["codes"].status


def test_a_role_that_may_not_do_a_step_sees_it_without_its_button(world: World):
    """A county tester records tests but does not issue certificates: the certificate step
    shows why the batch is blocked, with no button."""
    world.users["tester"] = make_user(
        "p_tester", organisation=world.orgs["county_a"], role=Role.TESTER
    )
    failing_test(world)
    found = flow(world, "tester")
    assert found["test"].url is not None
    assert found["certificate"].url is None and "有机磷" in found["certificate"].reason
    html = page(world, "tester")
    assert 'data-testid="step-certificate"' in html and 'data-testid="do-test"' in html
    assert 'data-testid="do-certificate"' not in html
