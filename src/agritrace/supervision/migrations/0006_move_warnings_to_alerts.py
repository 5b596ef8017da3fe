"""Warnings and follow-ups now live in ``alerts`` (``alerts.0001`` took over their tables):
removed from this app's migration state only; no table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0001_move_warnings_from_supervision"),
        ("supervision", "0005_bounds"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FollowUp"),
                migrations.DeleteModel(name="Warning"),
            ],
        ),
    ]
