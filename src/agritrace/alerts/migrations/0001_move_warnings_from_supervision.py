"""Warnings and follow-ups move from ``supervision`` to ``alerts`` without touching a table.

The models are created here in the migration state only, on the tables they already have
(``supervision_warning``, ``supervision_followup``), with the same index and constraint names;
``supervision.0006`` removes them from that app's state. The content types are renamed, so that
every row keyed by content type (the change log, permissions, admin history, and warnings about
warnings) keeps pointing at the same models."""

import django.db.models.deletion
from django.conf import settings
from django.db import IntegrityError, migrations, models, transaction

import agritrace.core.validators

MOVED = ("warning", "followup")


def _relabel(apps, schema_editor, old, new):
    """Give the moved models' content types their new app label (as Django's
    ``RenameContentType`` does for a renamed model): a clash with a stale row of the new label
    leaves the old one in place for ``remove_stale_contenttypes`` to report."""
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MOVED:
        found = content_type.objects.db_manager(db).filter(app_label=old, model=model).first()
        if found is None:
            continue
        found.app_label = new
        try:
            with transaction.atomic(using=db):
                found.save(using=db, update_fields=["app_label"])
        except IntegrityError:
            pass
    content_type.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "supervision", "alerts")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "alerts", "supervision")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("producers", "0002_industries"),
        ("regions", "0001_initial"),
        ("supervision", "0005_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Warning",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("kind", models.CharField(choices=[("certification_expiring", "认证即将到期"), ("certification_expired", "认证已过期"), ("positive_test", "检测阳性/不合格"), ("upload_conflict", "设备上传记录冲突"), ("counterfeit_scan", "疑似仿冒扫码"), ("camera_offline", "视频离线"), ("complaint_overdue", "投诉超期未处理")], db_index=True, max_length=32, verbose_name="预警类型")),
                        ("severity", models.CharField(choices=[("info", "提示"), ("warning", "警告"), ("critical", "严重")], default="warning", max_length=10, verbose_name="级别")),
                        ("subject_id", models.CharField(max_length=64, verbose_name="对象 ID")),
                        ("title", models.CharField(max_length=200, verbose_name="标题")),
                        ("detail", models.TextField(blank=True, verbose_name="详情")),
                        ("status", models.CharField(choices=[("open", "待处理"), ("acknowledged", "已知悉"), ("closed", "已关闭")], db_index=True, default="open", max_length=12, verbose_name="状态")),
                        ("handled_at", models.DateTimeField(blank=True, null=True, validators=[agritrace.core.validators.DateRange(past=True)], verbose_name="处理时间")),
                        ("handling_note", models.CharField(blank=True, max_length=500, verbose_name="处理意见")),
                        ("handled_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="处理人")),
                        ("producer", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="warnings", to="producers.producer", verbose_name="生产经营主体")),
                        ("region", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="warnings", to="regions.region", verbose_name="所在区划")),
                        ("subject_type", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype", verbose_name="对象类型")),
                    ],
                    options={
                        "verbose_name": "预警",
                        "verbose_name_plural": "预警",
                        "db_table": "supervision_warning",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["region", "status"], name="supervision_region__eb646b_idx")],
                        "constraints": [models.UniqueConstraint(condition=models.Q(("status", "closed"), _negated=True), fields=("kind", "subject_type", "subject_id"), name="warning_one_unclosed_per_subject")],
                    },
                ),
                migrations.CreateModel(
                    name="FollowUp",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("title", models.CharField(max_length=200, verbose_name="事项")),
                        ("due_on", models.DateField(validators=[agritrace.core.validators.DateRange(past=False)], verbose_name="办理期限")),
                        ("status", models.CharField(choices=[("open", "处理中"), ("closed", "已办结")], default="open", max_length=8, verbose_name="状态")),
                        ("resolution", models.TextField(blank=True, verbose_name="办理结果")),
                        ("closed_at", models.DateTimeField(blank=True, null=True, validators=[agritrace.core.validators.DateRange(past=True)], verbose_name="办结时间")),
                        ("organisation", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="follow_ups", to="accounts.organisation", verbose_name="承办机构")),
                        ("producer", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="follow_ups", to="producers.producer", verbose_name="生产经营主体")),
                        ("warning", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="follow_ups", to="alerts.warning", verbose_name="预警")),
                    ],
                    options={
                        "verbose_name": "跟进事项",
                        "verbose_name_plural": "跟进事项",
                        "db_table": "supervision_followup",
                        "ordering": ["status", "due_on"],
                    },
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
