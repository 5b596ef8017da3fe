"""Fingerprint the content of the device records stored before fingerprints existed, so that a
replay of one is told from a conflicting upload (``agritrace.testing.identity``)."""

from django.db import migrations

from agritrace.testing.identity import fingerprint


def fill(apps, schema_editor):
    TestRecord = apps.get_model("testing", "TestRecord")
    rows = TestRecord.objects.filter(device__isnull=False, fingerprint="").order_by("pk")
    chunk = []
    for test in rows.iterator(chunk_size=2000):
        test.fingerprint = fingerprint(test)
        chunk.append(test)
        if len(chunk) == 2000:
            TestRecord.objects.bulk_update(chunk, ["fingerprint"])
            chunk = []
    TestRecord.objects.bulk_update(chunk, ["fingerprint"])


class Migration(migrations.Migration):
    dependencies = [("testing", "0002_bounds_fingerprint_upload_log")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
