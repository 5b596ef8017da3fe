"""Excel imports: refused files, per-row errors, all-or-nothing writes, scope, change records,
the CLI, the background job and the templates."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from stdnum.cn import uscc

from agritrace.catalog.importers import ProductImporter
from agritrace.catalog.models import Product
from agritrace.conftest import World
from agritrace.core.imports import runner, sheets
from agritrace.core.imports.importer import Importer, importer_classes
from agritrace.core.imports.sheets import ImportRefused
from agritrace.core.models import ChangeRecord, ImportJob, ImportStatus
from agritrace.producers.importers import ProducerImporter
from agritrace.producers.models import Producer, ProductionBase
from agritrace.production.importers import RecordImporter
from agritrace.production.models import Input, ProductionRecord

HEADERS = [column.header_zh for column in ProducerImporter.columns]
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path):
    settings.MEDIA_ROOT = tmp_path / "media"


def new_uscc(n: int) -> str:
    body = f"93430923MP{n:06d}X"
    return body + uscc.calc_check_digit(body)


def producer_row(n: int, township: str = "430923100", **values: str) -> list[str]:
    row = dict.fromkeys(HEADERS, "")
    row |= {
        "主体名称": f"示例导入合作社{n}",
        "主体类型": "农民专业合作社",
        "统一社会信用代码": new_uscc(n),
        "法定代表人/负责人": "示例负责人",
        "所在乡镇（街道）": township,
        "产业": "种植业、畜牧业",
        "规模生产经营主体": "是",
    }
    row |= values
    return [row[header] for header in HEADERS]


def workbook_bytes(rows: list[list[object]], header: list[str] = HEADERS, merge: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(importer: Importer, content: bytes) -> runner.Result:
    return runner.run(importer, io.BytesIO(content), len(content))


def test_one_bad_row_imports_nothing_and_names_row_and_column(world: World):
    before = Producer.objects.count()
    wrong_check = new_uscc(3)[:-1] + ("1" if new_uscc(3).endswith("0") else "0")
    rows = [producer_row(n) for n in (1, 2, 3, 4)]
    rows[2][HEADERS.index("统一社会信用代码")] = wrong_check
    result = run(ProducerImporter(world.users["county_a"]), workbook_bytes(rows))
    assert result.created == 0
    assert result.total == 4
    assert [(e.row, e.column) for e in result.errors] == [(4, "统一社会信用代码")]
    assert "统一社会信用代码无效" in result.errors[0].message
    assert Producer.objects.count() == before


def test_every_row_is_validated_and_duplicates_are_row_errors(world: World):
    rows = [
        producer_row(1, 主体类型="合作社"),
        producer_row(2, 纬度="28.1"),
        producer_row(3, 统一社会信用代码=world.producers["A"].uscc),
        producer_row(4, township="不存在镇"),
        producer_row(5, 国家平台注册日期="2025-13-01"),
        producer_row(6),
        producer_row(6, 主体名称="示例另一家"),
        producer_row(7),
        producer_row(7),
    ]
    result = run(ProducerImporter(world.users["county_a"]), workbook_bytes(rows))
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (2, "主体类型"),
        (3, "经度"),
        (4, "统一社会信用代码"),
        (5, "所在乡镇（街道）"),
        (6, "国家平台注册日期"),
        (8, "统一社会信用代码"),
        (10, ""),
    }
    messages = {(e.row): e.message for e in result.errors}
    assert messages[4] == "该统一社会信用代码已登记"
    assert messages[8] == "与第 7 行重复"
    assert messages[10] == "与第 9 行完全相同"
    assert result.created == 0


def test_wrong_header_names_the_columns(world: World):
    header = HEADERS.copy()
    header[0], header[1] = header[1], header[0]
    header = header[:-1]
    result = run(ProducerImporter(world.users["county_a"]), workbook_bytes([], header=header))
    assert [(e.row, e.column) for e in result.errors] == [
        (1, "主体名称"),
        (1, "主体类型"),
        (1, "国家平台账号"),
    ]
    assert "第 A 列应为“主体名称”，实为“主体类型”" in result.errors[0].message
    assert "缺少列“国家平台账号”" in result.errors[2].message


def test_merged_cells_are_refused(world: World):
    content = workbook_bytes([producer_row(1), producer_row(2)], merge="A2:A3")
    with pytest.raises(ImportRefused, match="合并单元格"):
        run(ProducerImporter(world.users["county_a"]), content)


def test_file_over_the_size_limit_is_refused(world: World, settings):
    settings.AGRITRACE_IMPORT_MAX_BYTES = 1024
    content = workbook_bytes([producer_row(1)])
    with pytest.raises(ImportRefused, match="超过上限"):
        run(ProducerImporter(world.users["county_a"]), content)


def test_zip_bomb_is_refused_before_openpyxl_parses(world: World, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr(sheets, "load_workbook", never)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b"0" * (50 * 1024 * 1024))
    content = buffer.getvalue()
    assert len(content) < 1024 * 1024
    with pytest.raises(ImportRefused, match="压缩炸弹"):
        run(ProducerImporter(world.users["county_a"]), content)


def test_total_uncompressed_size_is_capped(world: World, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_UNCOMPRESSED", 4 * 1024)
    content = workbook_bytes([producer_row(n) for n in range(50)])
    with pytest.raises(ImportRefused, match="解压后"):
        run(ProducerImporter(world.users["county_a"]), content)


@pytest.mark.parametrize(
    "content",
    [
        "主体名称,统一社会信用代码\n示例,123\n".encode(),
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
        b"PK\x03\x04 truncated",
    ],
    ids=["csv", "xls", "broken-zip"],
)
def test_non_xlsx_content_is_refused(world: World, content: bytes):
    with pytest.raises(ImportRefused, match="不是有效的 Excel"):
        run(ProducerImporter(world.users["county_a"]), content)


def test_a_corrupt_sheet_is_refused(world: World):
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([producer_row(1)])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            archive.writestr(item, data)
    with pytest.raises(ImportRefused, match="文件已损坏"):
        run(ProducerImporter(world.users["county_a"]), buffer.getvalue())


def test_large_files_are_parsed_in_a_child_process(world: World, monkeypatch):
    monkeypatch.setattr(sheets, "CHILD_READ_BYTES", 0)
    monkeypatch.setattr(sheets, "CHILD_BATCH", 2)
    monkeypatch.setattr(sheets, "sheet_stream", None)  # only the child may parse
    rows = [producer_row(n) for n in range(5)]
    result = run(ProducerImporter(world.users["county_a"]), workbook_bytes(rows))
    assert (result.created, result.errors) == (5, [])
    with pytest.raises(ImportRefused, match="合并单元格"):
        run(ProducerImporter(world.users["county_a"]), workbook_bytes(rows, merge="B3:C3"))


def test_a_zip_that_is_not_a_workbook_is_refused(world: World):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(ImportRefused, match="不是有效的 Excel"):
        run(ProducerImporter(world.users["county_a"]), buffer.getvalue())


def test_county_b_officer_cannot_import_into_county_a(world: World):
    rows = [producer_row(1, township="430421100"), producer_row(2, township="东坪镇")]
    result = run(ProducerImporter(world.users["county_b"]), workbook_bytes(rows))
    assert result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "所在乡镇（街道）")]
    assert "不在您的管辖范围内" in result.errors[0].message


def test_a_role_without_the_add_grant_is_refused(world: World):
    with pytest.raises(ImportRefused, match="没有权限"):
        run(ProducerImporter(world.users["producer_a"]), workbook_bytes([producer_row(1)]))


def test_good_producers_file_imports_every_row_with_change_records(world: World):
    user = world.users["county_a"]
    rows = [
        producer_row(1, township="安化县东坪镇"),
        producer_row(2, township="小淹镇", 统一社会信用代码=new_uscc(2).lower()),
        producer_row(3, 纬度=28.38, 经度=111.2, 国家平台注册日期=dt.date(2025, 1, 2)),
    ]
    rows[2][HEADERS.index("已在国家追溯平台注册")] = "是"
    rows[2][HEADERS.index("主体类型")] = "family_farm"
    result = run(ProducerImporter(user), workbook_bytes(rows))
    assert result.errors == []
    assert result.created == 3
    created = Producer.objects.filter(name__startswith="示例导入合作社").order_by("name")
    assert [p.uscc for p in created] == [new_uscc(1), new_uscc(2), new_uscc(3)]
    assert created[1].township == world.regions["A2"]
    assert created[2].kind == "family_farm"
    assert created[2].national_registered_on == dt.date(2025, 1, 2)
    assert str(created[2].latitude) == "28.380000"
    assert sorted(created[0].industries.values_list("code", flat=True)) == [
        "livestock",
        "planting",
    ]
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Producer),
        object_id__in=[str(p.pk) for p in created],
    )
    assert records.count() == 3
    assert {(r.action, r.user_id) for r in records} == {("create", None)}


def test_change_records_name_the_actor(world: World):
    from agritrace.core.changelog import actor

    user = world.users["county_a"]
    with actor(user=user, source="test import"):
        run(ProducerImporter(user), workbook_bytes([producer_row(1)]))
    record = ChangeRecord.objects.get(object_repr="示例导入合作社1")
    assert (record.user, record.source, record.after["uscc"]) == (user, "test import", new_uscc(1))


def test_a_producer_user_imports_products_into_its_own_producer_only(world: World):
    header = [c.header_zh for c in ProductImporter.columns]
    rows = [
        ["", "示例导入蔬菜", "蔬菜（含食用菌）", "", "", "", "", ""],
        [world.producers["B"].uscc, "示例导入水果", "水果", "", "", "", "", ""],
    ]
    user = world.users["producer_a"]
    result = run(ProductImporter(user), workbook_bytes(rows, header=header))
    assert [(e.row, e.column) for e in result.errors] == [(3, "主体统一社会信用代码")]
    result = run(ProductImporter(user), workbook_bytes(rows[:1], header=header))
    assert result.created == 1
    product = Product.objects.get(name="示例导入蔬菜")
    assert (product.producer, product.unit) == (world.producers["A"], "kg")


def test_records_go_through_the_pre_harvest_interval_rule(world: World):
    producer = world.producers["A"]
    base = ProductionBase.objects.create(
        producer=producer, name="示例导入基地", kind="field", township=producer.township
    )
    Product.objects.create(producer=producer, name="示例导入稻谷", category="grain")
    Input.objects.create(
        kind="pesticide",
        name="示例导入杀虫剂",
        registration_number="PD20990001",
        default_interval_days=14,
    )
    header = [c.header_zh for c in RecordImporter.columns]

    def record(kind: str, day: str, **values: str) -> list[str]:
        row = dict.fromkeys(header, "")
        row |= {"记录类型": kind, "日期": day, "基地名称": base.name, **values}
        return [row[h] for h in header]

    application = record("投入品使用", "2025-05-01", 投入品名称="示例导入杀虫剂")
    harvest = record("采收", "2025-05-05", 产品名称="示例导入稻谷")
    user = world.users["producer_a"]
    result = run(RecordImporter(user), workbook_bytes([application, harvest], header=header))
    assert result.created == 0
    assert {(e.row, e.column) for e in result.errors} == {(2, "日期"), (3, "日期")}
    assert any("安全间隔期" in e.message for e in result.errors)
    assert not ProductionRecord.objects.filter(base=base).exists()

    assert run(RecordImporter(user), workbook_bytes([application], header=header)).created == 1
    result = run(RecordImporter(user), workbook_bytes([harvest], header=header))
    assert [(e.row, e.column) for e in result.errors] == [(2, "日期")]
    later = record("采收", "2025-05-20", 产品名称="示例导入稻谷")
    assert run(RecordImporter(user), workbook_bytes([later], header=header)).created == 1


def test_cli_imports_and_fails_with_the_report(world: World, tmp_path: Path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook_bytes([producer_row(1), producer_row(2)]))
    call_command("import", "producers", str(good), "--user", "p_county_a")
    out, err = capsys.readouterr()
    assert "imported 2" in out
    assert "100% 2/2" in err
    assert (
        ChangeRecord.objects.filter(object_repr="示例导入合作社1").get().user
        == (world.users["county_a"])
    )

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook_bytes([producer_row(3), producer_row(4, 主体类型="")]))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import", "producers", str(bad), "--user", "p_county_a")
    out, _err = capsys.readouterr()
    assert "row 3\t主体类型\t必填" in out
    assert not Producer.objects.filter(name="示例导入合作社3").exists()


def test_background_job_shows_progress_and_created_count(world: World, settings):
    settings.TASKS = IMMEDIATE
    client = world.client("county_a")
    upload = SimpleUploadedFile("主体.xlsx", workbook_bytes([producer_row(n) for n in range(5)]))
    response = client.post(reverse("imports:home"), {"kind": "producers", "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    assert (job.status, job.percent, job.created_count, job.total_rows) == (
        ImportStatus.SUCCEEDED,
        100,
        5,
        5,
    )
    assert job.filename == "主体.xlsx"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "100%" in page and 'data-testid="import-created">5<' in page
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b"hx-trigger" not in fragment.content
    assert world.client("county_b").get(job.get_absolute_url()).status_code == 404


def test_a_running_job_page_polls_its_progress(world: World):
    job = ImportJob.objects.create(
        user=world.users["county_a"],
        kind="producers",
        file="imports/x.xlsx",
        status=ImportStatus.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    fragment = world.client("county_a").get(job.get_absolute_url(), headers={"HX-Request": "true"})
    content = fragment.content.decode()
    assert 'hx-trigger="every 1s"' in content and "25%" in content
    assert f'hx-get="{job.get_absolute_url()}"' in content


def test_failed_job_reports_errors_as_table_and_xlsx(world: World, settings):
    settings.TASKS = IMMEDIATE
    client = world.client("county_a")
    content = workbook_bytes([producer_row(1), producer_row(2, township="西渡镇")])
    upload = SimpleUploadedFile("bad.xlsx", content)
    client.post(reverse("imports:home"), {"kind": "producers", "file": upload})
    job = ImportJob.objects.get()
    assert (job.status, job.created_count) == (ImportStatus.FAILED, 0)
    assert job.errors == [
        [3, "所在乡镇（街道）", "乡镇（街道）“湖南省衡阳市衡阳县西渡镇”不在您的管辖范围内"]
    ]
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'data-testid="import-errors"' in page and "不在您的管辖范围内" in page
    report = client.get(reverse("imports:errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(report.content)).active
    assert list(sheet.iter_rows(values_only=True))[1] == tuple(job.errors[0])


def test_upload_form_refuses_bad_files_at_once(world: World, settings):
    settings.TASKS = IMMEDIATE
    client = world.client("county_a")
    upload = SimpleUploadedFile("data.xlsx", b"not a workbook")
    response = client.post(reverse("imports:home"), {"kind": "producers", "file": upload})
    assert response.status_code == 200
    assert "不是有效的 Excel" in response.content.decode()
    upload = SimpleUploadedFile("p.xlsx", workbook_bytes([producer_row(1)]))
    response = world.client("producer_a").post(
        reverse("imports:home"), {"kind": "producers", "file": upload}
    )
    assert response.status_code == 200
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("importer", importer_classes(), ids=lambda i: i.kind)
def test_template_opens_and_its_header_is_the_importers_columns(world: World, importer):
    response = world.client("province").get(reverse("imports:template", args=[importer.kind]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == [column.header_zh for column in importer.columns]
    assert "示例" in "".join(str(value) for value in rows[1] if value)
    notes = list(workbook["说明"].iter_rows(values_only=True))
    assert [row[0] for row in notes[1 : len(importer.columns) + 1]] == list(rows[0])
    with pytest.raises(ImportRefused, match="没有可导入的数据行"):
        run(importer(world.users["province"]), response.content)


def test_import_pages_need_sign_in_and_the_grant(world: World):
    assert world.client("anonymous").get(reverse("imports:home")).status_code == 302
    page = world.client("producer_a").get(reverse("imports:home")).content.decode()
    assert "/imports/templates/producers/" not in page
    assert "/imports/templates/products/" in page
    url = reverse("imports:template", args=["producers"])
    assert world.client("producer_a").get(url).status_code == 403
    assert world.client("province").get("/imports/templates/nothing/").status_code == 404
