"""Organisations, users and their login activity (2020 spec Art. 4, 8)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agritrace.core.models import ScopedModel
from agritrace.core.permissions import (
    ALL_ROLES,
    NOBODY,
    ORGANISATION_ROLES,
    PRODUCER_ROLES,
    Role,
)
from agritrace.core.scoping import RestrictedQuerySet, ScopeRules
from agritrace.core.validators import validate_phone
from agritrace.regions.models import Level, Region


class OrganisationKind(models.TextChoices):
    """The agencies of the 2020 spec (Art. 4; Annex 1 user kinds)."""

    BUREAU = "bureau", _("农业农村局")
    SUPERVISION = "supervision", _("农产品质量安全监管机构")
    TESTING = "testing", _("农产品质量检验检测机构")
    ENFORCEMENT = "enforcement", _("农业综合执法机构")
    TOWNSHIP_STATION = "township_station", _("乡镇农产品质量安全监管站")


#: Which region levels each kind of organisation may sit at.
KIND_LEVELS: dict[str, frozenset[str]] = {
    OrganisationKind.BUREAU: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    OrganisationKind.SUPERVISION: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    OrganisationKind.TESTING: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    OrganisationKind.ENFORCEMENT: frozenset({Level.PROVINCE, Level.CITY, Level.COUNTY}),
    OrganisationKind.TOWNSHIP_STATION: frozenset({Level.TOWNSHIP}),
}


class Organisation(ScopedModel):
    """A regulator: an agriculture bureau or one of its agencies, tied to its region."""

    name = models.CharField(
        verbose_name=_("名称"),
        max_length=100,
    )
    kind = models.CharField(
        verbose_name=_("机构类型"),
        max_length=20,
        choices=OrganisationKind.choices,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    address = models.CharField(
        verbose_name=_("地址"),
        max_length=200,
        blank=True,
    )
    phone = models.CharField(
        verbose_name=_("办公电话"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
    )
    active = models.BooleanField(
        verbose_name=_("启用"),
        default=True,
    )

    scope_rules = ScopeRules(
        region=("region",),
        producer=None,
        grants={
            "view": ORGANISATION_ROLES,
            "add": frozenset({Role.ADMINISTRATOR}),
            "change": frozenset({Role.ADMINISTRATOR}),
            "delete": NOBODY,
        },
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["region__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind"],
                name="organisation_one_kind_per_region",
                violation_error_message=_("该区划已有此类型的机构"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A township station sits at a township; bureaus and agencies above it."""
        if self.region_id and self.kind:
            region = Region.objects.get(pk=self.region_id)
            if region.level not in KIND_LEVELS[self.kind]:
                raise ValidationError(
                    {
                        "region": _("%(kind)s 不能设在%(level)s一级")
                        % {"kind": self.get_kind_display(), "level": region.get_level_display()}
                    }
                )


class UserQuerySet(RestrictedQuerySet):
    """Users, restrictable like every scoped model."""


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """``User.objects.restrict(…)`` plus Django's ``create_user``."""


class User(AbstractUser):
    """A person with an account: in an organisation with a role, or in a producer.

    The user's scope is ``region`` (a part of the organisation's region, e.g. a grid officer's
    township) or else the organisation's region; producer users are scoped to their producer.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    producer = models.ForeignKey(
        "producers.Producer",
        verbose_name=_("所属生产经营主体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(
        verbose_name=_("角色"),
        max_length=20,
        choices=Role.choices,
        blank=True,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("负责区域"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("不填则为所属机构的区划"),
    )
    phone = models.CharField(
        verbose_name=_("手机号码"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
    )

    objects = ScopedUserManager()

    scope_rules = ScopeRules(
        region=("organisation__region", "producer__township"),
        producer="producer_id",
        grants={
            "view": frozenset({Role.ADMINISTRATOR, Role.OWNER}),
            "add": frozenset({Role.ADMINISTRATOR, Role.OWNER}),
            "change": frozenset({Role.ADMINISTRATOR, Role.OWNER}),
            "delete": NOBODY,
        },
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organisation__isnull=False, producer__isnull=False),
                name="user_in_organisation_or_producer",
                violation_error_message=_("用户不能同时属于机构和生产经营主体"),
            )
        ]

    def get_absolute_url(self) -> str:
        """The user's page."""
        return reverse("accounts:user_detail", args=[self.pk])

    @property
    def scope_region(self) -> Region | None:
        """The region this user oversees (``None`` for producer users)."""
        if self.organisation_id is None:
            return None
        return self.region if self.region_id else self.organisation.region

    def clean(self) -> None:
        """Role fits the membership; the user's region lies inside the organisation's."""
        super().clean()
        errors: dict[str, str] = {}
        if self.organisation_id and self.producer_id:
            errors["producer"] = _("用户不能同时属于机构和生产经营主体")
        elif self.organisation_id:
            if self.role not in ORGANISATION_ROLES:
                errors["role"] = _(
                    "机构用户的角色须为管理员、监管员、网格员、检查员、检测员或执法员"
                )
            if self.region_id and not self.organisation.region.contains(self.region):
                errors["region"] = _("负责区域须在所属机构的区划（%(region)s）之内") % {
                    "region": self.organisation.region
                }
        elif self.producer_id:
            if self.role not in PRODUCER_ROLES:
                errors["role"] = _("主体用户的角色须为主体负责人或主体工作人员")
            if self.region_id:
                errors["region"] = _("主体用户不设负责区域")
        elif self.role in ALL_ROLES and not self.is_superuser:
            errors["organisation"] = _("请选择所属机构或生产经营主体")
        if errors:
            raise ValidationError(errors)


class LoginEvent(models.Model):
    """Every login attempt, successful or not, with time and source.

    Monthly counts feed the acceptance sheet's "账户活跃每月登录5次以上" (2021 notice, Annex 2).
    """

    time = models.DateTimeField(
        verbose_name=_("时间"),
        auto_now_add=True,
        db_index=True,
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("用户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
    )
    username = models.CharField(
        verbose_name=_("登录账号"),
        max_length=150,
    )
    success = models.BooleanField(
        verbose_name=_("成功"),
    )
    remote_addr = models.GenericIPAddressField(
        verbose_name=_("IP 地址"),
        null=True,
        blank=True,
    )
    user_agent = models.CharField(
        verbose_name=_("客户端"),
        max_length=300,
        blank=True,
    )
    channel = models.CharField(
        verbose_name=_("渠道"),
        max_length=20,
        default="web",
    )

    class Meta:
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")
        ordering = ["-time"]
        indexes = [models.Index(fields=["user", "time"])]

    def __str__(self) -> str:
        return f"{self.username} {self.time:%Y-%m-%d %H:%M}"
