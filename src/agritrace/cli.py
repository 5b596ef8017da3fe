"""The ``agritrace`` console script: Django's management commands under the project's name."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

#: Where ``agritrace demo`` serves unless told otherwise.
DEMO_HOST = "127.0.0.1"
DEMO_PORT = 8000
BASE_URL_VARIABLES = ("AGRITRACE_PUBLIC_BASE_URL", "AGRITRACE_PUBLIC_BASE_URL_FILE")


def tcp_port(text: str) -> int:
    """A TCP port number, 1 to 65535."""
    if not (text.isdigit() and 0 < int(text) < 65536):
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return int(text)


def add_demo_address(parser: argparse.ArgumentParser) -> None:
    """The ``--host``/``--port`` options of ``agritrace demo`` (read here before the settings
    load, and by the command itself)."""
    parser.add_argument("--port", type=tcp_port, default=DEMO_PORT)
    parser.add_argument("--host", default=DEMO_HOST)


def demo_base_url(host: str, port: int) -> str:
    """The public base URL of a demo served on ``host:port``; an unspecified address
    (``0.0.0.0``, ``::``) is reached, and printed, as the loopback address."""
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return f"http://{host}:{port}"
    if address.is_unspecified:
        address = ipaddress.ip_address("127.0.0.1" if address.version == 4 else "::1")
    text = f"[{address}]" if address.version == 6 else str(address)
    return f"http://{text}:{port}"


def demo_environment(args: list[str]) -> None:
    """For ``agritrace demo [--host H] [--port N]`` without ``AGRITRACE_PUBLIC_BASE_URL``: set
    it to ``http://H:N`` before the settings are read, so that the data loaders (labels, QR
    codes, camera sources, the camera allow-list), the server and the task worker (which
    inherits the environment) all print the address the demo really serves on. Arguments the
    command would refuse are left for it to report."""
    if not args or args[0] != "demo" or any(os.environ.get(name) for name in BASE_URL_VARIABLES):
        return
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    add_demo_address(parser)
    try:
        known, _rest = parser.parse_known_args(args[1:])
    except argparse.ArgumentError:
        return
    os.environ["AGRITRACE_PUBLIC_BASE_URL"] = demo_base_url(known.host, known.port)


def main() -> None:
    """Run a management command: ``agritrace migrate``, ``agritrace shell``, ``agritrace demo``…"""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agritrace.settings")
    demo_environment(sys.argv[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["agritrace", *sys.argv[1:]])


if __name__ == "__main__":
    main()
