"""The fixed industry rows."""

from django.db import migrations

CODES = ["planting", "livestock", "aquaculture", "processing", "distribution"]


def create(apps, schema_editor):
    Industry = apps.get_model("producers", "Industry")
    for code in CODES:
        Industry.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("producers", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
