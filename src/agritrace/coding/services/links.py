"""What the QR codes carry and how a scan is read back: the public URLs of trace codes and
certificates, the GS1 Digital Link form, and the interpretation of whatever a scanner typed
(issue 5, point 2; GS1 Digital Link standard)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from biip import ParseError
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_messages import GS1Message
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agritrace.coding.choices import CheckedKind
from agritrace.coding.models import CODE_LENGTH
from agritrace.core import codes
from agritrace.core.urls import public_url


def code_url(code: str) -> str:
    """What a trace code's QR encodes: the public ID-card page (issue 5, point 2)."""
    return public_url(f"/t/{code}")


def certificate_url(number: str) -> str:
    """What a certificate's QR encodes: its public verification page, which leads to the
    batch's ID card."""
    return public_url(f"/c/{number}")


def digital_link(gtin: str, batch_number: str, code: str) -> str | None:
    """The GS1 Digital Link form ``/01/{gtin}/10/{batch}/21/{serial}`` on our own domain, or
    ``None`` when the product has no GTIN or the batch number is not GS1-encodable (GS1
    General Specifications: AI 10 is up to 20 characters of the CSET 82 set)."""
    if not gtin:
        return None
    try:
        message = GS1Message.parse_hri(f"(01){gtin.zfill(14)}(10){batch_number}(21){code}")
        uri = GS1DigitalLinkURI.from_element_strings(message.element_strings).as_uri()
    except (ParseError, ValueError):
        return None
    return public_url(urlsplit(uri).path)


def code_from_digital_link(path: str) -> str | None:
    """The trace code (AI 21, serial) of a GS1 Digital Link path or URI, else ``None``."""
    uri = path if "://" in path else f"https://id.gs1.org{path}"
    try:
        strings = GS1DigitalLinkURI.parse(uri).element_strings
    except (ParseError, ValueError):
        return None
    serial = strings.get(ai="21")
    return codes.validate_or_none(serial.value, CODE_LENGTH) if serial else None


@dataclass(frozen=True)
class Scanned:
    """What a scanner read: a trace code, a certificate number, or nothing usable."""

    kind: CheckedKind
    value: str
    problem: str = ""


def read_scan(text: str) -> Scanned:
    """Interpret a scan: a bare code, our ``/t/<code>`` or ``/c/<number>`` URL, or a GS1
    Digital Link URI. A wrong check character is reported as such (a typo or a damaged
    label), never looked up."""
    text = text.strip()
    kind, raw = CheckedKind.TRACE_CODE, text
    if "/" in text:
        path = urlsplit(text).path if "://" in text else text
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[0] in ("t", "c"):
            kind = CheckedKind.TRACE_CODE if parts[0] == "t" else CheckedKind.CERTIFICATE
            raw = parts[1]
        elif "01" in parts:
            found = code_from_digital_link(path)
            if found is None:
                return Scanned(CheckedKind.UNKNOWN, "", _("无法识别的 GS1 数字链接"))
            return Scanned(CheckedKind.TRACE_CODE, found)
        else:
            return Scanned(CheckedKind.UNKNOWN, "", _("不是本平台的追溯码或合格证"))
    try:
        value = codes.validate(raw, CODE_LENGTH)
    except codes.InvalidCode as error:
        return Scanned(CheckedKind.UNKNOWN, "", explain_invalid(error))
    return Scanned(kind, value)


def explain_invalid(error: codes.InvalidCode) -> str:
    """A clear message for a code that failed validation."""
    text = str(error)
    if text.startswith("length"):
        return _("追溯码应为 %(n)s 位") % {"n": CODE_LENGTH}
    if text.startswith("check"):
        return _("校验位不符：可能输错或标签损坏")
    return _("含有无效字符")


def parse_code(text: str) -> str:
    """A trace code typed or scanned, canonical; ValidationError saying what is wrong."""
    scanned = read_scan(text)
    if scanned.kind != CheckedKind.TRACE_CODE:
        raise ValidationError({"code": scanned.problem or _("这是合格证编号，不是追溯码")})
    return scanned.value
