"""Demo organisations: the province, the cities and every county named in Annex 1 of the 2021
notice (追溯体系和第二代农产品“身份证”试点项目明细表), with their agencies and township stations."""

from __future__ import annotations

from agritrace.accounts.models import Organisation, OrganisationKind, User
from agritrace.core.demodata import DEMO_PASSWORD, DemoContext
from agritrace.core.permissions import Role
from agritrace.regions.models import Level, Region

#: (city, county) as the notice names them (2021); county names resolve to today's regions.
PILOT_COUNTIES: tuple[tuple[str, str], ...] = (
    ("衡阳市", "衡阳县"),
    ("衡阳市", "常宁市"),
    ("衡阳市", "祁东县"),
    ("衡阳市", "耒阳市"),
    ("邵阳市", "洞口县"),
    ("邵阳市", "邵阳县"),
    ("邵阳市", "绥宁县"),
    ("益阳市", "资阳区"),
    ("益阳市", "桃江县"),
    ("益阳市", "安化县"),
    ("永州市", "江永县"),
    ("永州市", "江华县"),
    ("永州市", "蓝山县"),
    ("永州市", "新田县"),
    ("永州市", "祁阳县"),
    ("郴州市", "北湖区"),
    ("郴州市", "苏仙区"),
    ("郴州市", "桂阳县"),
    ("郴州市", "嘉禾县"),
    ("郴州市", "汝城县"),
    ("郴州市", "安仁县"),
    ("娄底市", "娄星区"),
    ("怀化市", "溆浦县"),
    ("怀化市", "靖州县"),
)
COUNTY_AGENCIES = (
    (OrganisationKind.BUREAU, "农业农村局"),
    (OrganisationKind.SUPERVISION, "农产品质量安全监管站"),
    (OrganisationKind.TESTING, "农产品质量检验检测站"),
    (OrganisationKind.ENFORCEMENT, "农业综合行政执法大队"),
)


def resolve_county(city: Region, name: str) -> Region:
    """The county of ``city`` called ``name`` in 2021: exact name, else the one whose name
    starts with its stem (江华县 → 江华瑶族自治县, 祁阳县 → 祁阳市 since 2021)."""
    counties = Region.objects.filter(parent=city, level=Level.COUNTY)
    exact = counties.filter(name=name).first()
    if exact is not None:
        return exact
    stem = name.removesuffix("县").removesuffix("市").removesuffix("区")
    matches = list(counties.filter(name__startswith=stem))
    if len(matches) != 1:
        raise LookupError(f"cannot resolve county {name} of {city.name}: {matches}")
    return matches[0]


def pilot_counties() -> list[Region]:
    """The 24 counties of Annex 1, in the notice's order."""
    province = Region.objects.get(code="43")
    counties = []
    for city_name, county_name in PILOT_COUNTIES:
        city = Region.objects.get(parent=province, name=city_name)
        counties.append(resolve_county(city, county_name))
    return counties


def organisation(kind: str, region: Region, name: str, ctx: DemoContext) -> Organisation:
    """Get or create the organisation of ``kind`` at ``region``."""
    org, created = Organisation.objects.get_or_create(
        kind=kind, region=region, defaults={"name": name}
    )
    ctx.count("organisations", int(created))
    return org


def user(ctx: DemoContext, persona: str, username: str, **fields: object) -> User:
    """Get or create a demo account with the demo password."""
    account = User.objects.filter(username=username).first()
    if account is None:
        account = User(username=username, **fields)
        account.set_password(DEMO_PASSWORD)
        account.full_clean()
        account.save()
        ctx.count("users", 1)
    ctx.account(persona, username)
    return account


def load(ctx: DemoContext) -> None:
    """Province, cities, the 24 pilot counties with four agencies each, their township stations,
    and one demo account per regulator persona."""
    province = Region.objects.get(code="43")
    hunan = organisation(OrganisationKind.BUREAU, province, "湖南省农业农村厅", ctx)
    counties = pilot_counties()
    for county in counties:
        city = county.parent
        organisation(OrganisationKind.BUREAU, city, f"{city.name}农业农村局", ctx)
        for kind, suffix in COUNTY_AGENCIES:
            organisation(kind, county, f"{county.name}{suffix}", ctx)
        for township in county.children.all():
            organisation(
                OrganisationKind.TOWNSHIP_STATION,
                township,
                f"{township.name}农产品质量安全监管站",
                ctx,
            )
    anhua = Region.objects.get(code="430923")
    taojiang = Region.objects.get(code="430922")
    yiyang = anhua.parent
    assert yiyang is not None
    township = anhua.children.order_by("code").first()
    assert township is not None
    station = Organisation.objects.get(kind=OrganisationKind.TOWNSHIP_STATION, region=township)

    def org(kind: str, region: Region) -> Organisation:
        return Organisation.objects.get(kind=kind, region=region)

    user(
        ctx,
        "系统管理员 / superuser",
        "admin",
        is_superuser=True,
        is_staff=True,
        first_name="示例管理员",
    )
    user(
        ctx,
        "省级管理员 / province administrator",
        "hunan_admin",
        organisation=hunan,
        role=Role.ADMINISTRATOR,
        first_name="示例省管",
    )
    user(
        ctx,
        "市级监管员 / city officer",
        "yiyang_officer",
        organisation=org(OrganisationKind.BUREAU, yiyang),
        role=Role.OFFICER,
        first_name="示例市监",
    )
    user(
        ctx,
        "县级管理员 / county administrator (安化)",
        "anhua_admin",
        organisation=org(OrganisationKind.SUPERVISION, anhua),
        role=Role.ADMINISTRATOR,
        first_name="示例县管",
    )
    user(
        ctx,
        "县级监管员 / county officer (安化)",
        "anhua_officer",
        organisation=org(OrganisationKind.SUPERVISION, anhua),
        role=Role.OFFICER,
        first_name="示例县监",
    )
    user(
        ctx,
        "县级检测员 / county tester (安化)",
        "anhua_tester",
        organisation=org(OrganisationKind.TESTING, anhua),
        role=Role.TESTER,
        first_name="示例检测",
    )
    user(
        ctx,
        "县级执法员 / enforcement officer (安化)",
        "anhua_enforcer",
        organisation=org(OrganisationKind.ENFORCEMENT, anhua),
        role=Role.ENFORCER,
        first_name="示例执法",
    )
    user(
        ctx,
        "县级监管员 / county officer (桃江)",
        "taojiang_officer",
        organisation=org(OrganisationKind.SUPERVISION, taojiang),
        role=Role.OFFICER,
        first_name="示例县监",
    )
    user(
        ctx,
        f"乡镇监管站 / township station ({township.name})",
        "township_officer",
        organisation=station,
        role=Role.OFFICER,
        first_name="示例乡监",
    )
    user(
        ctx,
        f"网格员 / grid officer ({township.name})",
        "grid_officer",
        organisation=org(OrganisationKind.SUPERVISION, anhua),
        role=Role.GRID_OFFICER,
        region=township,
        first_name="示例网格",
    )
