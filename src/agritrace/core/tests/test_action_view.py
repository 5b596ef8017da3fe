"""``ScopedActionView``, through the pages built on it (split a batch, review a producer): out
of scope is 404, no grant is 403, bad input or a refusal by the rule is a message with nothing
saved, never a 500; success is a message and back to the object's page."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from agritrace.conftest import World, make_user
from agritrace.core.permissions import Role
from agritrace.producers.choices import ProducerStatus


def said(response: HttpResponse) -> list[tuple[str, str]]:
    """The messages shown on the page a (followed) response ended on, as (level, text)."""
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def post(client: Client, url: str, body: dict[str, str]) -> HttpResponse:
    """POST and follow the redirect; the page it ends on must be 200."""
    response = client.post(url, body, follow=True)
    assert response.status_code == 200, body
    return response


def test_split_out_of_scope_is_404_without_grant_403_and_get_405(world: World):
    batch = world.deps["A"]["batch"]
    url = reverse("production:batch_split", args=[batch.pk])
    body = {"quantities": "600, 400"}
    assert world.client("producer_b").post(url, body).status_code == 404
    inspector = Client()
    inspector.force_login(
        make_user("inspector_a", organisation=world.orgs["A"], role=Role.INSPECTOR)
    )
    assert inspector.post(url, body).status_code == 403
    anonymous = world.client("anonymous").post(url, body)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert world.client("producer_a").get(url).status_code == 405
    assert not batch.child_links.exists()


def test_split_refused_by_the_rule_is_a_message_and_saves_nothing(world: World):
    batch = world.deps["A"]["batch"]
    client = world.client("producer_a")
    url = reverse("production:batch_split", args=[batch.pk])
    for body in ({"quantities": "700, 400"}, {"quantities": "abc"}, {}):
        response = post(client, url, body)
        assert response.redirect_chain == [(batch.get_absolute_url(), 302)], body
        assert [level for level, _text in said(response)] == ["error"], body
        assert not batch.child_links.exists(), body

    response = post(client, url, {"quantities": "600, 300"})
    assert response.redirect_chain == [(batch.get_absolute_url(), 302)]
    assert said(response) == [("success", "已分为 2 个批次")]
    assert batch.child_links.count() == 2


def test_review_with_an_unknown_status_is_a_message_not_a_500(world: World):
    producer = world.producers["A"]
    before = producer.status
    client = world.client("township")
    url = reverse("producers:producer_review", args=[producer.pk])
    for body in ({"to": "bogus"}, {}, {"to": "approved", "note": "示" * 201}):
        response = post(client, url, body)
        assert [level for level, _text in said(response)] == ["error"], body
        producer.refresh_from_db()
        assert producer.status == before, body


def test_review_refusals_and_success(world: World):
    producer = world.producers["A"]
    url = reverse("producers:producer_review", args=[producer.pk])
    # the producer's own owner may change it, but not review it
    assert world.client("producer_a").post(url, {"to": "suspended", "note": "x"}).status_code == 403
    assert world.client("county_b").post(url, {"to": "suspended"}).status_code == 404
    township = world.client("township")
    response = post(township, url, {"to": ProducerStatus.SUSPENDED})
    assert said(response) == [("error", "暂停须写明原因")]
    response = post(township, url, {"to": ProducerStatus.SUSPENDED, "note": "示例：抽检不合格"})
    assert response.redirect_chain == [(producer.get_absolute_url(), 302)]
    assert said(response) == [("success", "已更新状态：已暂停")]
    producer.refresh_from_db()
    assert producer.status == ProducerStatus.SUSPENDED
