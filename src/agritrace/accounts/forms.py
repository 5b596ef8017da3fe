"""Organisation and user forms."""

from __future__ import annotations

from django.contrib.auth.forms import BaseUserCreationForm

from agritrace.accounts.models import Organisation, User
from agritrace.core.forms import ScopedModelForm

USER_FIELDS = [
    "username",
    "first_name",
    "phone",
    "email",
    "organisation",
    "producer",
    "role",
    "region",
    "is_active",
]


class OrganisationForm(ScopedModelForm):
    """An agency."""

    class Meta:
        model = Organisation
        fields = ["name", "kind", "region", "address", "phone", "active"]


class UserCreateForm(ScopedModelForm, BaseUserCreationForm):
    """A new account with a validated password (length, common passwords, similarity)."""

    class Meta:
        model = User
        fields = USER_FIELDS


class UserUpdateForm(ScopedModelForm):
    """Account details (passwords are changed by their owner)."""

    class Meta:
        model = User
        fields = USER_FIELDS
