"""Catalogue choices as data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Agricultural product categories (a standard edible agricultural product catalogue)."""

    GRAIN = "grain", _("粮食")
    OIL_CROP = "oil_crop", _("油料")
    VEGETABLE = "vegetable", _("蔬菜（含食用菌）")
    FRUIT = "fruit", _("水果")
    TEA_FRESH = "tea_fresh", _("鲜茶叶")
    TEA = "tea", _("茶叶（初制/精制）")
    LIVESTOCK = "livestock", _("畜产品")
    POULTRY = "poultry", _("禽产品")
    EGG = "egg", _("禽蛋")
    AQUATIC = "aquatic", _("养殖水产品")
    HERB = "herb", _("中药材")
    OTHER = "other", _("其他")


#: Categories for which the certificate of compliance is mandatory (食用农产品承诺达标合格证
#: 试行/管理办法: 蔬菜（含食用菌）、水果、茶叶鲜叶、畜禽、禽蛋、养殖水产品).
CERTIFICATE_MANDATORY = frozenset(
    {
        Category.VEGETABLE,
        Category.FRUIT,
        Category.TEA_FRESH,
        Category.LIVESTOCK,
        Category.POULTRY,
        Category.EGG,
        Category.AQUATIC,
    }
)


class Unit(models.TextChoices):
    """Units of quantity."""

    KG = "kg", _("千克")
    TONNE = "t", _("吨")
    HEAD = "head", _("头")
    BIRD = "bird", _("只")
    PIECE = "piece", _("枚/个")
    BOX = "box", _("盒/箱")
    BAG = "bag", _("袋")


class CertificationKind(models.TextChoices):
    """Designations and certifications of the 2020 spec (Art. 7, 13)."""

    GREEN_FOOD = "green_food", _("绿色食品")
    ORGANIC = "organic", _("有机农产品")
    GI = "gi", _("农产品地理标志")
    REGIONAL_BRAND = "regional_brand", _("农业区域公用品牌")
    SPECIALTY_BRAND = "specialty_brand", _("地方特色品牌")
    ONE_COUNTY_ONE_SPECIALTY = "one_county", _("“一县一特”品牌")
    TRADEMARK = "trademark", _("注册商标")
    LEADING_PROVINCIAL = "leading_provincial", _("省级农业产业化龙头企业")
    LEADING_NATIONAL = "leading_national", _("国家级农业产业化龙头企业")


#: Certifications whose products must carry the ID card and "one product, one code" (Art. 13:
#: brands, green, organic and GI products, registered trademarks, leading enterprises).
ID_CARD_REQUIRED = frozenset(CertificationKind.values)
#: Designations of the enterprise itself rather than of some of its products: all its products
#: must carry the ID card (Art. 13 "省级以上农业产业化龙头企业").
ENTERPRISE_WIDE = frozenset(
    {CertificationKind.LEADING_PROVINCIAL, CertificationKind.LEADING_NATIONAL}
)


class StandardLevel(models.TextChoices):
    """Level of a production technical regulation."""

    NATIONAL = "national", _("国家标准")
    INDUSTRY = "industry", _("行业标准")
    LOCAL = "local", _("地方标准")
    ENTERPRISE = "enterprise", _("企业标准")


class Validity(models.TextChoices):
    """Derived validity of a certification."""

    VALID = "valid", _("有效")
    EXPIRING = "expiring", _("即将到期")
    EXPIRED = "expired", _("已过期")
    NOT_YET = "not_yet", _("未生效")
