"""The coding rules, one module per topic (2020 spec Art. 13–14; 2021 notice "赋追溯码、合格证、
身份证"; 农业农村部令2025年第4号):

- :mod:`.links`: what the QR codes carry, and reading a scan back;
- :mod:`.minting`: code rolls, and the code log;
- :mod:`.binding`: binding codes to batches, voiding and recalling them;
- :mod:`.printing`: label layouts and print jobs;
- :mod:`.certificates`: certificates of compliance;
- :mod:`.checks`: whether a code or certificate is valid now, and market-access checks.

The app's own code imports from these modules. The names below are re-exported for the tests
and the other apps that called them as ``coding.services.<name>`` before the split."""

from agritrace.coding.services.binding import bind, bind_range, find_code, void
from agritrace.coding.services.certificates import (
    certificate_pdf,
    issue_certificate,
    void_certificate,
)
from agritrace.coding.services.checks import judge_scan, record_check
from agritrace.coding.services.links import (
    certificate_url,
    code_from_digital_link,
    code_url,
    digital_link,
    read_scan,
)
from agritrace.coding.services.minting import request_mint
from agritrace.coding.services.printing import label_lines, request_print, sync_presets

__all__ = [
    "bind",
    "bind_range",
    "certificate_pdf",
    "certificate_url",
    "code_from_digital_link",
    "code_url",
    "digital_link",
    "find_code",
    "issue_certificate",
    "judge_scan",
    "label_lines",
    "read_scan",
    "record_check",
    "request_mint",
    "request_print",
    "sync_presets",
    "void",
    "void_certificate",
]
