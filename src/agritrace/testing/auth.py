"""How a rapid-test device proves who it is on the upload endpoints: a token or an HMAC
signature of the body (2020 spec Annex 1: devices "自动备份和上传数据" to the platform), the
identity it then has, and the permission that admits only devices."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request

from agritrace.testing.models import Device

#: How far a signed request's timestamp may be from the server's clock.
SIGNATURE_WINDOW = dt.timedelta(minutes=5)


class DeviceAuthentication(authentication.BaseAuthentication):
    """``Authorization: Device <serial>:<secret>``, or an HMAC-SHA256 signature:
    ``X-Device-Serial``, ``X-Timestamp`` (Unix seconds, ±5 minutes) and
    ``X-Signature: hex(hmac(secret, timestamp + "." + body))``."""

    def authenticate(self, request: Any) -> tuple[Any, Device] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header.startswith("Device "):
            serial, _sep, secret = header.removeprefix("Device ").partition(":")
            device = self._device(serial)
            if not hmac.compare_digest(secret.strip(), device.secret()):
                raise exceptions.AuthenticationFailed(_("设备密钥错误"))
            return (DeviceUser(device), device)
        serial = request.META.get("HTTP_X_DEVICE_SERIAL")
        if serial is None:
            return None
        device = self._device(serial)
        stamp = request.META.get("HTTP_X_TIMESTAMP", "")
        signature = request.META.get("HTTP_X_SIGNATURE", "")
        if not stamp.isdigit() or abs(time.time() - int(stamp)) > SIGNATURE_WINDOW.total_seconds():
            raise exceptions.AuthenticationFailed(_("时间戳缺失或超出 5 分钟"))
        body = request._request.body
        expected = hmac.new(device.secret().encode(), stamp.encode() + b"." + body, hashlib.sha256)
        if not hmac.compare_digest(signature.removeprefix("sha256="), expected.hexdigest()):
            raise exceptions.AuthenticationFailed(_("签名错误"))
        return (DeviceUser(device), device)

    def authenticate_header(self, request: Any) -> str:
        return 'Device realm="agritrace"'

    @staticmethod
    def _device(serial: str) -> Device:
        device = (
            Device.objects.select_related("producer", "organisation")
            .filter(serial=serial.strip())
            .first()
        )
        if device is None or not device.active:
            raise exceptions.AuthenticationFailed(_("未知或已停用的设备"))
        return device


class DeviceAuthenticationScheme(OpenApiAuthenticationExtension):
    """How the upload endpoints authenticate, in the OpenAPI document."""

    target_class = DeviceAuthentication
    name = "deviceAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Device <serial>:<secret>`, or sign the body: headers X-Device-Serial, "
                "X-Timestamp (Unix seconds) and X-Signature = hex HMAC-SHA256(secret, "
                "timestamp + '.' + body)."
            ),
        }


class DeviceUser:
    """The identity of an authenticated device (not a person)."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = ""
    producer_id = None
    organisation_id = None

    def __init__(self, device: Device) -> None:
        self.device = device

    def get_username(self) -> str:
        return f"device:{self.device.serial}"


class IsDevice(permissions.BasePermission):
    """Only an authenticated device."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, DeviceUser)


def request_device(request: Request) -> Device:
    """The device that authenticated the request."""
    return request.auth
