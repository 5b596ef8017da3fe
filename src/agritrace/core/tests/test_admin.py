"""The Django admin (in Chinese) has every scoped model and opens each one's list and change
page."""

from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from agritrace.conftest import World, make_user


def test_every_admin_page_opens(world: World, client):
    client.force_login(make_user("p_root", is_superuser=True, is_staff=True))
    for model in admin.site._registry:
        meta = model._meta
        listing = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert listing.status_code == 200, meta.label
        assert "站点管理" in listing.content.decode() or "AgriTrace" in listing.content.decode()
        first = model._default_manager.first()
        if first is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
            assert client.get(change).status_code == 200, meta.label


def test_every_scoped_model_is_in_the_admin():
    """Every app has the same parts: a scoped model without an admin is a gap."""
    missing = [
        model._meta.label
        for model in apps.get_models()
        if getattr(model, "scope_rules", None) is not None and model not in admin.site._registry
    ]
    assert missing == []
