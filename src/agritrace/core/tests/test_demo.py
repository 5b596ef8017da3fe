"""``agritrace demo --no-serve`` loads the demo data and a second run duplicates nothing."""

from io import StringIO

from django.core.management import call_command

from agritrace.accounts.models import Organisation, User
from agritrace.producers.models import Producer


def test_demo_is_idempotent_and_fictitious(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    counts = (Organisation.objects.count(), User.objects.count(), Producer.objects.count())
    assert counts[2] >= 300 and "producer_a" in out.getvalue()
    assert Organisation.objects.filter(region__code="431181").exists()  # 祁阳县 of the notice
    assert all("示例" in name for name in Producer.objects.values_list("name", flat=True))
    again = StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert (Organisation.objects.count(), User.objects.count(), Producer.objects.count()) == counts
    assert "nothing new" in again.getvalue()
