"""Issue 13 (4): Chinese everywhere in the Chinese UI, English everywhere in the English UI.

Every page each persona (a producer owner, a county officer, a province administrator, an
anonymous visitor) can reach from the home page is crawled in Chinese (the default) and in
English (the ``django_language`` cookie), with the scope matrix's objects in the database; so are
the column headings of the xlsx exports, the error bodies of the API (400, 403, 404, 405, 413),
a refused form (Django's and the validators' messages), the 404 page and the 500 page.

What is checked is the *visible* text: text nodes outside ``<script>`` and ``<style>``, plus the
attributes a user reads (``placeholder``, ``title``, ``aria-label``, ``alt`` and the ``value`` of
buttons). In the Chinese UI a word of ASCII letters fails; in the English UI a Chinese character
fails, and so does Chinese punctuation (、，。；：（）), including the brackets and colons that
templates and ``__str__`` methods put around translated words ("Status：", "（Farmers' market）":
they come from ``core.formats.parens``/``labelled`` and the ``parens``/``colon`` filters).

The import templates (``/imports/templates/…``) are left out: they are the platform's Chinese
exchange format (``core.imports.columns.TEMPLATE_LANGUAGE``), whose headers the importer matches.

Data are not UI text. Rather than marking every cell in every template, each text is first
cleared of every *stored value*: every non-choice text column of every AgriTrace row (names,
addresses, usernames, region names…) as it is in the database. Choice columns are not stored
values (their raw values — ``minted``, ``active`` — are exactly what must not show), so a page
that shows a raw choice value still fails. What remains must be in the page's language, except
:data:`ALLOWED`: codes, formats and units that read the same in both languages.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from agritrace.core.tests.crawl import crawl, populate

PERSONAS = ["producer_a", "county_a", "province", "anonymous"]
LANGUAGES = ["zh-hans", "en"]
#: Read the same in both languages: codes, formats, protocols, units, brands and the names the
#: ministry's sheets use as they are ("U key"), the product's name and HTTP methods.
ALLOWED = {
    "GTIN", "PDF", "ZPL", "TSPL", "Excel", "xlsx", "CSV", "PNG", "SVG", "QR", "HLS", "API", "ID",
    "ELISA", "http", "https", "U key", "Zebra", "TSC", "AgriTrace", "kg", "mg/kg", "g", "mm", "dpi",
    "GET", "POST", "PUT", "PATCH", "DELETE", "HTTP", "JSON", "JPEG", "WebP", "MB",
    "TS-XXXX-XXXX-XXX",  # a complaint tracking number's pattern
    "安化",  # the region search's example: region names are stored in Chinese only
}  # fmt: skip
#: Files in a fixed Chinese format, not UI.
CHINESE_FORMATS = re.compile(r"^/imports/templates/")
#: A word of ASCII letters; a token with a digit, an underscore, a dot, a colon or a slash
#: between letters is a code, a file name or an address, not a word.
TOKEN = re.compile(r"[A-Za-z0-9][\w./:…\-]*")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[、，。；：（）]")
BUTTONS = {"submit", "button", "reset"}
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class VisibleText(HTMLParser):
    """The texts of a page a user reads in ``language``: an element marked with another ``lang``
    (the language switch's "English" and "中文") is in that language on purpose."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language[:2]
        self.texts: list[str] = []
        #: The open elements, each with whether its text is hidden from the check.
        self.open: list[tuple[str, bool]] = []

    def hidden(self) -> bool:
        return any(hidden for _tag, hidden in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or self.language)[:2].lower()
        hidden = tag in ("script", "style") or lang != self.language
        if tag not in VOID:
            self.open.append((tag, hidden))
        if hidden or self.hidden():
            return
        for name in READ_ATTRIBUTES:
            if values.get(name):
                self.texts.append(values[name] or "")
        if tag == "input" and values.get("type") in BUTTONS and values.get("value"):
            self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.hidden() and data.strip():
            self.texts.append(data.strip())


def visible_texts(html: str, language: str) -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    return parser.texts


def json_strings(value: object, keys: bool = False) -> Iterator[str]:
    """The string values inside a JSON value (an API body), and its keys when ``keys`` (a JSON
    column's value shown on a page, e.g. a label layout's elements)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if keys:
                yield str(key)
            yield from json_strings(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item, keys)
    elif isinstance(value, str):
        yield value


def stored_values() -> set[str]:
    """Every value of every non-choice text, file or JSON column of every AgriTrace row."""
    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("agritrace."):
            continue
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(
                field, (models.CharField, models.TextField, models.FileField, models.JSONField)
            )
            and not field.choices
        ]
        for row in model._base_manager.values_list(*names) if names else ():
            for value in row:
                texts = json_strings(value, keys=True)
                values.update(text.strip() for text in texts if text and len(text.strip()) > 1)
    return values


class Judge:
    """Finds text of the other language in texts, once their stored values are removed."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.values = stored_values()
        known = sorted(self.values | ALLOWED, key=len, reverse=True)
        alternatives = "|".join(re.escape(v) for v in known)
        self.data = re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")

    def foreign(self, text: str) -> list[str]:
        """The pieces of ``text`` in the other language."""
        if text in self.values or text in ALLOWED:
            return []
        if self.language == "en":
            if not CJK.search(text):
                return []
            return CJK.findall(self.data.sub(" ", text))
        if not re.search("[A-Za-z]{2}", text):
            return []
        return [
            token
            for token in TOKEN.findall(self.data.sub(" ", text))
            if re.fullmatch("[A-Za-z]{2,}(-[A-Za-z]+)*", token)
        ]


def client_in(world: Any, persona: str, language: str, api: bool = False) -> Any:
    client = world.api(persona) if api else world.client(persona)
    if language != "zh-hans":
        client.cookies["django_language"] = language
    return client


def texts_of(response: Any, language: str) -> Iterator[str]:
    """The UI texts of a response: a page's visible text, an xlsx's column headings, the
    strings of a JSON body."""
    kind = response.get("Content-Type", "")
    if "text/html" in kind:
        yield from visible_texts(response.content.decode(), language)
    elif "spreadsheetml" in kind:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        for row in sheet.iter_rows(max_row=1, values_only=True):
            yield from (str(cell) for cell in row if cell)
    elif "json" in kind:
        yield from json_strings(response.json())


@pytest.fixture
def every_model(world):
    return populate(world)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_speaks_one_language(every_model, persona, language):
    judge = Judge(language)
    #: (foreign piece, the text it stands in) → the pages.
    found: dict[tuple[str, str], set[str]] = {}

    def visit(url: str, response: Any) -> None:
        if CHINESE_FORMATS.match(url):
            return
        for text in texts_of(response, language):
            for piece in judge.foreign(text):
                found.setdefault((piece, text[:80]), set()).add(url)

    pages = crawl(client_in(every_model, persona, language), "/", visit=visit)
    assert len(pages) >= (3 if persona == "anonymous" else 40), sorted(pages)
    if found:
        pytest.fail(
            "\n".join(
                f"{piece!r} in {text!r} on {', '.join(sorted(urls)[:3])}"
                for (piece, text), urls in found.items()
            )
        )


def api_errors(world: Any, language: str) -> dict[str, Any]:
    """A bad POST (400), a missing row (404), a forbidden write (403), an anonymous read (401), a
    method the endpoint lacks (405), a body too large (413)."""
    owner = client_in(world, "producer_a", language, api=True)
    officer = client_in(world, "county_a", language, api=True)
    anonymous = client_in(world, "anonymous", language, api=True)
    return {
        "400": owner.post("/api/v1/batches/", {"quantity": "x"}, format="json"),
        "400-uscc": officer.post(
            "/api/v1/producers/", {"uscc": "91430923MA4L00000A", "name": ""}, format="json"
        ),
        "404": owner.get("/api/v1/batches/999999/"),
        "401": anonymous.get("/api/v1/batches/"),
        "403-role": owner.post("/api/v1/organisations/", {}, format="json"),
        "405": owner.put("/api/v1/batches/", {}, format="json"),
        "413": owner.post(
            "/api/v1/batches/", b"[" + b"1," * 600_000 + b"1]", content_type="application/json"
        ),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_api_errors_speak_one_language(every_model, language, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
    judge = Judge(language)
    found = {}
    for case, response in api_errors(every_model, language).items():
        assert str(response.status_code) == case[:3], (case, response.content)
        pieces = [p for text in texts_of(response, language) for p in judge.foreign(text)]
        if pieces:
            found[case] = (pieces, response.json())
    assert not found, found


@pytest.mark.parametrize("language", LANGUAGES)
def test_refused_forms_speak_one_language(every_model, language):
    """Django's own messages (required, login refused) and the validators' (the USCC's check
    character) in the page's language."""
    judge = Judge(language)
    client = client_in(every_model, "anonymous", language)
    refused = {
        "register": client.post("/register/", {"p-uscc": "91430923MA4L00000A"}),
        "login": client.post("/login/", {"username": "nobody", "password": "wrong"}),
    }
    found = {}
    for case, response in refused.items():
        assert response.status_code in (200, 400), case
        pieces = [p for text in texts_of(response, language) for p in judge.foreign(text)]
        if pieces:
            found[case] = pieces
    assert not found, found


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_speak_one_language(every_model, language, django_assert_max_num_queries):
    """The 404 page (a missing URL) and the 500 page, which renders without the database."""
    judge = Judge(language)
    missing = client_in(every_model, "county_a", language).get("/no-such-page/")
    assert missing.status_code == 404
    with translation.override(language), django_assert_max_num_queries(0):
        broken = server_error(RequestFactory().get("/"))
    assert broken.status_code == 500
    found = {}
    for case, response in {"404": missing, "500": broken}.items():
        texts = visible_texts(response.content.decode(), language)
        assert texts, case
        pieces = [p for text in texts for p in judge.foreign(text)]
        if pieces:
            found[case] = (pieces, texts)
    assert not found, found


def test_filter_labels_follow_the_page_language_whatever_read_them_first(world):
    """django-filter caches a label the first time anything reads it (the OpenAPI schema does,
    in whatever language is active): the labels are ours, lazy, from the start."""
    from drf_spectacular.generators import SchemaGenerator

    with translation.override("en"):
        SchemaGenerator().get_schema(request=None, public=True)
    chinese = world.client("producer_a").get("/bases/").content.decode()
    assert ">Kind<" not in chinese and "基地类型" in chinese
