"""The API's base classes: every viewset reads through ``restrict`` and checks role grants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.exceptions import ValidationError as DRFValidationError

from agritrace.core import scoping
from agritrace.core.drf import action_for
from agritrace.core.forms import scoped_choices


class Conflict(APIException):
    """409: the request conflicts with what is stored."""

    status_code = 409
    default_code = "conflict"


class MomentField(serializers.DateTimeField):
    """A time; one the time zone cannot convert (a naive year-1 time) is a 400, where DRF's own
    field raises ``OverflowError`` (issue 11: malformed dates are a 400, never a 500)."""

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


class ScopedModelSerializer(serializers.ModelSerializer):
    """Runs the model's ``full_clean`` so that model rules give field-level 400s.

    Related-object choices are narrowed to the user's scope. Values the viewset fills in on
    create (``creation_defaults``) arrive in the context under ``"defaults"`` and take part in
    validation.
    """

    serializer_field_mapping = serializers.ModelSerializer.serializer_field_mapping | {
        models.DateTimeField: MomentField
    }

    def get_validators(self) -> list[Any]:
        """Unique-together rules are checked by the model's ``full_clean`` (with the values the
        viewset fills in), not by DRF validators that would demand those fields in the body."""
        return []

    def get_fields(self) -> dict[str, Any]:
        """Related-object fields accept only objects the requesting user may see."""
        fields = super().get_fields()
        user = getattr(self.context.get("request"), "user", None)
        for field in fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is None and hasattr(field, "child_relation"):
                field = field.child_relation
                queryset = getattr(field, "queryset", None)
            if queryset is not None and not field.read_only:
                field.queryset = scoped_choices(queryset, user)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        model = self.Meta.model
        many = {f.name for f in model._meta.many_to_many}
        values = {**self.context.get("defaults", {}), **attrs}
        if self.instance is None:
            instance = model()
            # A relation the body may set but left out is checked too: a producer missing from a
            # regulator's request is a 400 on ``producer``, not a NOT NULL error on save.
            writable = {f.source for f in self.fields.values() if not f.read_only}
            exclude = [
                f.name
                for f in model._meta.fields
                if f.name not in values and not (f.is_relation and f.name in writable)
            ]
        else:
            instance = model._base_manager.get(pk=self.instance.pk)
            exclude = []
        for name, value in values.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=exclude)
        except DjangoValidationError as exc:
            raise DRFValidationError(detail=exc.message_dict) from None
        return attrs


class ScopedViewSet(viewsets.ModelViewSet):
    """List/get/create/update/delete restricted to the user's scope (NetBox's pattern).

    Writes are checked again inside the transaction: an object saved outside the user's scope
    rolls back with a 400 naming the field that put it there. Extra actions name the scoping
    action they need with ``@action(…, scope_action="change")``.
    """

    scope_action: str | None = None
    #: No TRACE: it would dispatch to a ``trace`` action (the batch trace report) without an id.
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> Any:
        return super().get_queryset().restrict(self.request.user, "view")

    def get_object(self) -> Any:
        obj = super().get_object()
        action = action_for(self.request, self)
        if action != "view" and not scoping.in_scope(self.request.user, obj, action):
            raise PermissionDenied(_("您没有权限对该对象执行此操作。"))
        return obj

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        if self.request is not None and self.request.method == "POST":
            context["defaults"] = self.creation_defaults()
        return context

    def perform_destroy(self, instance: Any) -> None:
        """Objects still referenced (e.g. a product with batches) are not deleted: 409."""
        try:
            instance.delete()
        except ProtectedError:
            raise Conflict(_("仍有其他记录引用该对象，不能删除。")) from None

    def perform_create(self, serializer: serializers.BaseSerializer) -> None:
        self._save_in_scope(serializer, "add")

    def perform_update(self, serializer: serializers.BaseSerializer) -> None:
        self._save_in_scope(serializer, "change")

    def creation_defaults(self) -> dict[str, Any]:
        """Values set on create from the user (e.g. a producer user's own producer)."""
        return scoping.creation_defaults(self.request.user, self.get_queryset().model)

    def _save_in_scope(self, serializer: serializers.BaseSerializer, action: str) -> None:
        model = self.get_queryset().model
        extra = self.creation_defaults() if action == "add" else {}
        with transaction.atomic():
            obj = serializer.save(**extra)
            if not scoping.in_scope(self.request.user, obj, action):
                field = scoping.rules_for(model).field_for_errors()
                raise DRFValidationError({field: [_("不在您的管辖范围内。")]})
