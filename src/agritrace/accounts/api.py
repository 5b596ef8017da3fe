"""Organisations and users API."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from agritrace.accounts.filters import OrganisationFilter, UserFilter
from agritrace.accounts.models import Organisation, User
from agritrace.core.api import ScopedModelSerializer, ScopedViewSet


class OrganisationSerializer(ScopedModelSerializer):
    """An agency with its region."""

    region_name = serializers.CharField(source="region.full_name", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region", "region_name", "address", "phone", "active"]


class UserSerializer(ScopedModelSerializer):
    """An account; the password is write-only and validated (length, common passwords)."""

    password = serializers.CharField(
        write_only=True, required=False, style={"input_type": "password"}
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "organisation",
            "producer",
            "role",
            "region",
            "is_active",
            "last_login",
            "password",
        ]
        read_only_fields = ["last_login"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        password = attrs.pop("password", None)
        attrs = super().validate(attrs)
        if password is not None:
            candidate = self.instance or User(**{k: v for k, v in attrs.items()})
            try:
                validate_password(password, candidate)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"password": exc.messages}) from None
            attrs["password"] = password
        elif self.instance is None:
            raise serializers.ValidationError({"password": ["请设置密码"]})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> User:
        password = validated_data.pop("password")
        user = User(**validated_data)
        user.set_password(password)
        user.save()
        return user

    def update(self, instance: User, validated_data: dict[str, Any]) -> User:
        password = validated_data.pop("password", None)
        if password is not None:
            instance.set_password(password)
        return super().update(instance, validated_data)


class OrganisationViewSet(ScopedViewSet):
    """Agriculture bureaus and their agencies within the user's region."""

    queryset = Organisation.objects.select_related("region")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    search_fields = ["name"]


class UserViewSet(ScopedViewSet):
    """Accounts (administrators; producer owners for their own staff)."""

    queryset = User.objects.select_related("organisation", "producer", "region")
    serializer_class = UserSerializer
    filterset_class = UserFilter
    search_fields = ["username", "first_name", "last_name"]
