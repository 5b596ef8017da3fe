"""The Hunan data file, its loader and the region search."""

import pytest

from agritrace.regions.models import Level, Region
from agritrace.regions.services import RegionDataError, load_regions, province_file, read_rows


@pytest.fixture
def hunan(db):
    load_regions(read_rows(province_file("43")))


def test_hunan_has_14_cities_and_122_counties(hunan):
    assert Region.objects.filter(level=Level.CITY).count() == 14
    assert Region.objects.filter(level=Level.COUNTY).count() == 122
    assert Region.objects.filter(level=Level.TOWNSHIP).count() > 1800
    anhua = Region.objects.get(code="430923")
    assert anhua.full_name == "湖南省益阳市安化县"
    assert all(t.path.startswith(anhua.path) for t in anhua.children.all())


def test_loading_twice_changes_nothing(hunan):
    assert load_regions(read_rows(province_file("43"))) == (0, 0)


def test_search_by_name_and_code(hunan):
    assert Region.objects.search("安化").filter(code="430923").exists()
    assert Region.objects.search("4309").count() > 10


def test_bad_file_is_refused(tmp_path):
    path = tmp_path / "99.csv"
    path.write_text("code,name,level,parent_code\n99,示例省,province,\n990101,示例县,county,9901\n")
    with pytest.raises(RegionDataError, match="row 3"):
        read_rows(path)


def test_picker_offers_only_the_users_regions(hunan, client, django_user_model):
    from agritrace.accounts.models import Organisation

    org = Organisation.objects.create(
        kind="supervision", region=Region.objects.get(code="430923"), name="示例"
    )
    user = django_user_model.objects.create_user(
        "picker", password="x-correct-horse-1", organisation=org, role="officer"
    )
    client.force_login(user)
    page = client.get("/regions/pick/", {"q": "镇", "level": "township"}).content.decode()
    assert "安化县" in page and "长沙" not in page
