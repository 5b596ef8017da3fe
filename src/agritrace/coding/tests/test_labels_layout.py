"""Label layouts as data and the bad input of issue 5: a layout larger than the media, an element
outside the label, a QR too small for 2 dots per module at 203 dpi, too many labels at once.
Issue 11, point 3: text that could not be shown whole at the minimum size is refused when the
layout is designed, with the size it needs."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from agritrace.catalog.models import Product
from agritrace.coding.labels import (
    MAX_LABELS_PER_REQUEST,
    PRESETS,
    SHEETS,
    LabelItem,
    Layout,
    check_media,
    render_pdf,
    render_tspl,
    render_zpl,
)
from agritrace.coding.labels import layout as layouts
from agritrace.coding.models import CODE_LENGTH, LabelLayout
from agritrace.coding.services import printing
from agritrace.producers.models import Producer
from agritrace.production.models import Batch

URL = "https://trace.agritrace.example.cn/t/7K3M9QX2TB4HNV"


def layout(*elements, width=40, height=30):
    return {"width_mm": width, "height_mm": height, "elements": list(elements)}


QR = {"type": "qr", "x_mm": 1, "y_mm": 1, "size_mm": 20}


def messages(error):
    return " ".join(str(m) for m in error.value.messages)


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip_through_json(name):
    assert Layout.from_dict(PRESETS[name].to_dict()) == PRESETS[name]


def test_sheets_fit_a4_with_margins():
    for sheet in SHEETS.values():
        right, bottom = sheet.origin(sheet.per_page - 1)
        assert sheet.margin_left_mm >= 5 and sheet.margin_top_mm >= 5
        assert right + sheet.label_width_mm <= sheet.page_width_mm - 5
        assert bottom + sheet.label_height_mm <= sheet.page_height_mm - 5


def test_unknown_element_type():
    with pytest.raises(ValidationError, match="未知的元素类型“barcode”") as error:
        Layout.from_dict(layout(QR, {"type": "barcode", "x_mm": 1, "y_mm": 1}))
    assert error.value.error_list[0].code == "unknown_element"


def test_negative_size():
    with pytest.raises(ValidationError, match="尺寸须大于 0"):
        Layout.from_dict(layout({**QR, "size_mm": -20}))


def test_element_outside_the_label():
    text = {"type": "text", "x_mm": 30, "y_mm": 5, "size_mm": 3, "width_mm": 20}
    with pytest.raises(ValidationError) as error:
        Layout.from_dict(layout(QR, text))
    assert "第 2 个元素超出标签范围（40×30 mm）" in messages(error)


def test_qr_too_small_for_two_dots_per_module_at_203_dpi():
    with pytest.raises(ValidationError) as error:
        Layout.from_dict(layout({**QR, "size_mm": 10}))
    assert "二维码 10 mm 过小，203 dpi 打印机每个模块至少需 2 个点" in messages(error)


def test_layout_larger_than_the_largest_media():
    with pytest.raises(ValidationError, match="大于介质 104×297 mm"):
        Layout.from_dict(layout(QR, width=120))


def test_check_media():
    check_media(PRESETS["60x40"], 60, 40)
    with pytest.raises(ValidationError, match="标签 60×40 mm 大于介质 50×100 mm"):
        check_media(PRESETS["60x40"], 50, 100)


def test_layout_larger_than_the_sheets_labels():
    with pytest.raises(ValidationError, match="大于介质 40×30 mm"):
        render_pdf(PRESETS["60x40"], [LabelItem("A", URL)], SHEETS["a4-40x30"])


def test_invalid_text_source():
    text = {"type": "text", "x_mm": 22, "y_mm": 5, "size_mm": 3, "width_mm": 10, "source": "x"}
    with pytest.raises(ValidationError, match="文字来源“x”无效"):
        Layout.from_dict(layout(QR, text))


@pytest.mark.parametrize("render", [render_pdf, render_zpl, render_tspl])
def test_more_than_the_maximum_labels_in_one_request(render):
    class Many(list):
        def __len__(self):
            return 10_000_000

    with pytest.raises(ValidationError) as error:
        render(PRESETS["40x30"], Many())
    assert error.value.code == "too_many_labels"
    assert f"一次最多打印 {MAX_LABELS_PER_REQUEST} 张标签" in messages(error)


@pytest.mark.parametrize("render", [render_pdf, render_zpl, render_tspl])
def test_url_too_long_for_the_qr_is_refused(render):
    item = LabelItem("7K3M9QX2TB4HNV", URL + "/" + "x" * 300)
    with pytest.raises(ValidationError, match="7K3M9QX2TB4HNV 的网址过长"):
        render(PRESETS["40x30"], [item])


@pytest.mark.parametrize("url", ["https://例子.cn/t/A", 'https://x.cn/t/"^', ""])
def test_qr_content_must_be_a_uri(url):
    with pytest.raises(ValidationError, match="二维码内容须为网址"):
        render_zpl(PRESETS["40x30"], [LabelItem("A", url)])


@given(size=st.floats(min_value=11.3, max_value=28), x=st.floats(0, 10), y=st.floats(0, 2))
def test_any_valid_qr_fits_with_whole_dots(size, x, y):
    checked = Layout.from_dict(layout({"type": "qr", "x_mm": x, "y_mm": y, "size_mm": size}))
    assert render_zpl(checked, [LabelItem("A", URL)], dpi=203).count(b"^BQN,2,") == 1


def text(source, x=22, y=1, size=3, width=17, height=None, **more):
    element = {"type": "text", "x_mm": x, "y_mm": y, "size_mm": size, "width_mm": width,
               "source": source, **more}  # fmt: skip
    if height is not None:
        element["height_mm"] = height
    return element


def test_batch_box_too_small_for_the_longest_batch_number_is_refused():
    """Issue 11: the 40×30 preset's one-line batch box printed "批次 2026120"; such a layout is
    now refused at design time, naming the element and the box it needs."""
    old = layout(QR, text("code", x=2, y=21.5, size=2.6, width=37),
                 text("line:1", x=21.5, y=7.6, size=2.6, width=17.5))  # fmt: skip
    with pytest.raises(ValidationError) as error:
        Layout.from_dict(old)
    assert error.value.error_list[0].code == "text_does_not_fit"
    assert messages(error) == (
        "第 3 个元素（批次号）放不下最长的批次号（40 个字符）：最小字号 1.8 mm 时需 6 行，"
        "文字框至少高 12.6 mm（现为 2.6 mm），请加高或加宽"
    )
    Layout.from_dict(layout(QR, text("line:1", x=21.5, y=7, size=2.6, width=17.5, height=12.6)))


def test_refusals_are_in_english_in_the_english_ui():
    old = layout(QR, text("line:1", x=21.5, y=7.6, size=2.6, width=17.5))
    with pytest.raises(ValidationError) as error:
        Layout.from_dict(old)
    with translation.override("en"):
        english = messages(error)
    assert english == (
        "Element 2 (Batch number) cannot hold the longest value (40 characters): at the "
        "minimum size of 1.8 mm it needs 6 lines, a text box at least 12.6 mm high (now 2.6 mm); "
        "make the box higher or wider"
    )


def test_text_below_the_minimum_size_is_refused():
    with pytest.raises(ValidationError, match=r"字号 1\.5 mm 小于最小字号 1\.8 mm"):
        Layout.from_dict(layout(QR, text("line:0", size=1.5)))


def test_text_box_lower_than_one_line_is_refused():
    with pytest.raises(ValidationError, match=r"文字框高 1\.2 mm，放不下一行最小字号的字"):
        Layout.from_dict(layout(QR, text("line:0", size=2, height=1.2)))


def test_code_box_too_small_is_refused_with_its_size():
    with pytest.raises(ValidationError) as error:
        Layout.from_dict(layout(QR, text("code", width=10)))
    assert "第 2 个元素（追溯码）放不下最长的追溯码（14 个字符）" in messages(error)
    assert "文字框至少高 6.2 mm（现为 3 mm）" in messages(error)


def test_name_box_too_narrow_for_one_character_and_the_ellipsis():
    with pytest.raises(ValidationError) as error:
        Layout.from_dict(layout(QR, text("line:2", width=3)))
    assert error.value.error_list[0].code == "text_box_too_narrow"
    assert "第 2 个元素（主体名称）：文字框宽 3 mm，最小字号 1.8 mm 时放不下一个字和省略号" in (
        messages(error)
    )


def test_fixed_text_must_fit_whole():
    long = "湖南省农产品质量安全追溯平台" * 3
    with pytest.raises(ValidationError, match="第 2 个元素（固定文字）放不下最长的固定文字"):
        Layout.from_dict(layout(QR, text("text", text=long)))
    Layout.from_dict(layout(QR, text("text", width=17, height=28, text=long)))


def test_text_height_is_optional_and_round_trips():
    data = layout(QR, text("line:0"), text("line:1", height=14))
    checked = Layout.from_dict(data)
    assert checked.elements[1].height == 3 and checked.elements[2].height == 14
    assert "height_mm" not in checked.to_dict()["elements"][1]
    assert Layout.from_dict(checked.to_dict()) == checked
    with pytest.raises(ValidationError, match="height_mm 的值无效"):
        Layout.from_dict(layout(QR, text("line:0", height="tall")))


def test_stored_layout_is_checked_by_the_model():
    """Design time: the layout form and API run the model's clean, which parses the layout."""
    stored = LabelLayout(
        name="小标签",
        width_mm=40,
        height_mm=30,
        elements=[QR, text("line:1", x=21.5, y=7.6, size=2.6, width=17.5)],
    )
    with pytest.raises(ValidationError, match=r"文字框至少高 12\.6 mm"):
        stored.clean()


def test_longest_values_follow_the_models():
    """The lengths the layouts are checked with are the models' (issue 11: "longest allowed
    values"), and line 1 is the batch with one of the known prefixes in every UI language."""
    assert layouts.CODE_LENGTH == CODE_LENGTH
    assert Batch._meta.get_field("number").max_length == layouts.BATCH_NUMBER_LENGTH
    batch = Batch(number="N1", product=Product(name="产品"))
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            lines = printing.label_lines(batch, Producer(name="主体"))
        assert lines[0] == "产品" and lines[2] == "主体"
        assert lines[1] in {f"{prefix}N1" for prefix in layouts.BATCH_PREFIXES}
