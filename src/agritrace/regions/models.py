"""The administrative region tree (GB/T 2260 county codes, statistical township codes)."""

from __future__ import annotations

from typing import Self

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Region levels; each code is the parent's code plus more digits."""

    PROVINCE = "province", _("省")
    CITY = "city", _("市州")
    COUNTY = "county", _("县市区")
    TOWNSHIP = "township", _("乡镇街道")


CODE_LENGTHS = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9}
DEPTH = {Level.PROVINCE: 1, Level.CITY: 2, Level.COUNTY: 3, Level.TOWNSHIP: 4}


class RegionQuerySet(models.QuerySet):
    """Region lookups."""

    def within(self, region: Region) -> Self:
        """``region`` and everything below it."""
        return self.filter(path__startswith=region.path)

    def search(self, text: str) -> Self:
        """Name or code contains ``text``."""
        text = text.strip()
        if text.isdigit():
            return self.filter(code__startswith=text)
        return self.filter(models.Q(name__contains=text) | models.Q(full_name__contains=text))


class Region(models.Model):
    """One administrative region. ``path`` lists the codes from the province down, so that
    "this region and below" is one indexed prefix match (the basis of scoping)."""

    code = models.CharField(
        verbose_name=_("区划代码"),
        max_length=12,
        unique=True,
    )
    name = models.CharField(
        verbose_name=_("名称"),
        max_length=64,
    )
    full_name = models.CharField(
        verbose_name=_("全称"),
        max_length=200,
        help_text=_("从省到本级的名称，如 湖南省益阳市安化县"),
    )
    level = models.CharField(
        verbose_name=_("级别"),
        max_length=10,
        choices=Level.choices,
        db_index=True,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(
        verbose_name=_("路径"),
        max_length=64,
        unique=True,
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name or self.name

    def ancestor(self, level: Level) -> Region | None:
        """The region of ``level`` above (or equal to) this one."""
        node: Region | None = self
        while node is not None and node.level != level:
            node = node.parent
        return node

    @property
    def county(self) -> Region | None:
        """The county this region belongs to (itself for a county)."""
        return self.ancestor(Level.COUNTY)

    def contains(self, other: Region) -> bool:
        """Whether ``other`` is this region or lies below it."""
        return other.path.startswith(self.path)
