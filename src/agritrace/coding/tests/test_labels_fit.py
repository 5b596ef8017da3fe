"""The one text-fitting rule of labels (issue 11, point 3), by properties: nothing fitted ever
leaves its box, identity text is never cut (or refused), free text is cut only with "…", and a
layout checked with the longest allowed value holds every allowed value."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from agritrace.coding.labels import PRESETS, Layout
from agritrace.coding.labels.fit import (
    ANYWHERE,
    ELLIPSIS,
    MIN_TEXT_MM,
    fit,
    ladder,
    max_lines,
    wrap,
)
from agritrace.coding.labels.fonts import em, widest_char
from agritrace.coding.labels.layout import (
    BATCH_NUMBER_LENGTH,
    BATCH_PREFIXES,
    CODE_LENGTH,
    PDF,
    PRINTER_DPI,
    TextElement,
    fit_element,
    printer,
    resident_em,
)
from agritrace.core.codes import ALPHABET

BUDGET = settings(max_examples=200, deadline=None)
MEDIA = [PDF, *(printer(dpi) for dpi in PRINTER_DPI)]

#: Characters label text is made of: CJK, Latin, digits, the break characters, full-width
#: punctuation, the font's widest glyph and a character the font lacks.
chars = st.sampled_from(
    [*"安化黑茶天尖示例合作社批次国", *"AWMil01-/ .（）：", widest_char(), "\U0001f375"]
) | st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))
texts = st.text(chars, min_size=1, max_size=120)
boxes = st.tuples(
    st.floats(min_value=2.0, max_value=100.0),  # width, mm
    st.floats(min_value=MIN_TEXT_MM, max_value=40.0),  # height, mm
    st.floats(min_value=MIN_TEXT_MM, max_value=8.0),  # preferred size, mm
)


def squeezed(text):
    """``text`` without spaces: lines only ever lose the spaces where they break."""
    return text.replace(" ", "")


@BUDGET
@given(text=texts, box=boxes)
@example(text="批次 20261201-001", box=(17.5, 2.6, 2.6))
def test_identity_text_is_whole_or_refused_and_inside_its_box(text, box):
    width, height, preferred = box
    sizes = ladder(preferred, MIN_TEXT_MM, 0.1)
    fitted = fit(text, width, height, sizes, em, cut=False)
    if fitted is None:
        # refused only when it cannot fit even broken anywhere at the minimum size
        lines = wrap(text, width / MIN_TEXT_MM, em, ANYWHERE)
        assert lines is None or len(lines) > max_lines(height, MIN_TEXT_MM)
        return
    assert not fitted.cut
    assert fitted.size in sizes
    assert squeezed("".join(fitted.lines)) == squeezed(text)
    assert len(fitted.lines) <= max_lines(height, fitted.size)
    assert all(em(line) * fitted.size <= width + 1e-6 for line in fitted.lines)


@BUDGET
@given(text=texts, box=boxes)
def test_free_text_is_whole_or_marked_and_inside_its_box(text, box):
    width, height, preferred = box
    sizes = ladder(preferred, MIN_TEXT_MM, 0.1)
    fitted = fit(text, width, height, sizes, em, cut=True)
    if fitted is None:
        assert max(em(c) for c in text + ELLIPSIS) * MIN_TEXT_MM > width
        return
    assert all(em(line) * fitted.size <= width + 1e-6 for line in fitted.lines)
    assert len(fitted.lines) <= max_lines(height, fitted.size)
    shown = squeezed("".join(fitted.lines))
    if fitted.cut:
        assert fitted.size == MIN_TEXT_MM
        assert shown.endswith(ELLIPSIS)
        assert squeezed(text).startswith(shown.removesuffix(ELLIPSIS))
        assert shown.removesuffix(ELLIPSIS) != squeezed(text)
    else:
        assert shown == squeezed(text)


@BUDGET
@given(text=st.text(chars, min_size=1, max_size=60), preferred=st.floats(1.8, 6.0))
def test_text_that_fits_on_one_line_keeps_its_preferred_size(text, preferred):
    width = em(text) * preferred + 0.01
    fitted = fit(text, width, preferred, ladder(preferred, MIN_TEXT_MM, 0.1), em, cut=False)
    assert fitted is not None
    assert fitted.lines == (text,)
    assert fitted.size == pytest.approx(preferred)


def batch_elements():
    for name, layout in PRESETS.items():
        for n, element in enumerate(layout.elements, start=1):
            if isinstance(element, TextElement) and element.source == "line:1":
                yield name, n, element


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_pass_the_design_check(name):
    assert Layout.from_dict(PRESETS[name].to_dict()) == PRESETS[name]


@pytest.mark.parametrize(("name", "n", "element"), list(batch_elements()))
@BUDGET
@given(
    number=st.text(chars, min_size=1, max_size=BATCH_NUMBER_LENGTH),
    prefix=st.sampled_from(BATCH_PREFIXES),
)
def test_every_allowed_batch_number_fits_every_preset_in_every_medium(
    name, n, element, number, prefix
):
    """The design-time guarantee: a layout checked with the longest batch number in the widest
    characters holds any batch number the model allows, whole, in the PDF and on printers."""
    for medium in MEDIA:
        fitted = fit_element(medium, n, element, prefix + number)
        assert not fitted.cut
        assert squeezed("".join(fitted.lines)) == squeezed(prefix + number)


@pytest.mark.parametrize("name", list(PRESETS))
@BUDGET
@given(code=st.text(st.sampled_from(ALPHABET), min_size=1, max_size=CODE_LENGTH))
def test_every_code_fits_every_preset_on_printers_in_resident_fonts(name, code):
    (n, element), = [
        (n, e) for n, e in enumerate(PRESETS[name].elements, start=1)
        if isinstance(e, TextElement) and e.source == "code"
    ]  # fmt: skip
    for medium in MEDIA:
        measure = resident_em if medium.whole else em
        fitted = fit_element(medium, n, element, code, measure)
        assert "".join(fitted.lines) == code
        assert all(measure(line) * fitted.size <= element.width_mm * medium.per_mm
                   for line in fitted.lines)  # fmt: skip


def test_sizes_step_down_to_the_minimum():
    assert ladder(2.3, 1.8, 0.1) == [2.3, 2.2, 2.1, 2.0, 1.9, 1.8]
    assert ladder(1.8, 1.8, 0.1) == [1.8]
    assert [printer(203).minimum, printer(300).minimum, printer(600).minimum] == [14, 21, 42]


def test_batch_number_breaks_after_the_prefix_before_inside_the_number():
    """The bug of issue 11 ("批次 2026120"): the whole number, on the line after the prefix."""
    fitted = fit("批次 20261201-001", 17.5, 14.0, ladder(2.6, MIN_TEXT_MM, 0.1), em, cut=False)
    assert fitted.lines == ("批次", "20261201-001")


def test_free_text_is_cut_between_words_with_an_ellipsis():
    text = "Example Tea Farmers Cooperative Union of Anhua County"
    fitted = fit(text, 30.0, 1.8, [1.8], em, cut=True)
    assert fitted.cut
    assert fitted.lines == ("Example Tea Farmers Cooperative…",)
