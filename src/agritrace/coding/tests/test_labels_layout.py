"""Label layouts as data and the bad input of issue 5: a layout larger than the media, an element
outside the label, a QR too small for 2 dots per module at 203 dpi, too many labels at once."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

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
