"""Articles: listing, filters, pagination, create, read, update, delete and who may do what."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.contract.client import (
    Account,
    ContractClient,
    assert_article_object,
    assert_error_body,
    assert_no_password,
    assert_timestamp,
    assert_validation_error,
    unique,
)

pytestmark = pytest.mark.slow


def slugs(page: dict[str, Any]) -> list[str]:
    return [article["slug"] for article in page["results"]]


def marked_articles(
    api: ContractClient, account: Account, marker: str, count: int, *, published: bool = True
) -> list[dict[str, Any]]:
    return [
        api.create_article(account, title=f"{marker} number {n}", published=published)
        for n in range(count)
    ]


def assert_page_shape(page: object) -> None:
    assert isinstance(page, dict), page
    assert set(page) == {"count", "next", "previous", "results"}, sorted(page)
    assert isinstance(page["count"], int)
    assert isinstance(page["results"], list)
    for article in page["results"]:
        assert_article_object(article)


def test_list_is_a_page_of_articles_newest_first(api: ContractClient, author: Account) -> None:
    marker = unique("order")
    created = marked_articles(api, author, marker, 3)
    response = api.list_articles(search=marker)
    assert response.status_code == 200, response.text
    page = response.json()
    assert_page_shape(page)
    assert page["count"] == 3
    assert slugs(page) == [article["slug"] for article in reversed(created)]
    stamps = [assert_timestamp(article["created_at"]) for article in page["results"]]
    assert stamps == sorted(stamps, reverse=True)
    assert_no_password(response, author.password)


def test_anonymous_callers_see_published_articles_only(
    api: ContractClient, author: Account
) -> None:
    marker = unique("vis")
    public = api.create_article(author, title=f"{marker} public", published=True)
    api.create_article(author, title=f"{marker} draft", published=False)
    assert slugs(api.list_articles(search=marker).json()) == [public["slug"]]


def test_authors_see_their_own_drafts_and_nobody_elses(
    api: ContractClient, author: Account, stranger: Account
) -> None:
    marker = unique("own")
    public = api.create_article(author, title=f"{marker} public", published=True)
    draft = api.create_article(author, title=f"{marker} draft", published=False)
    own = api.list_articles(author.headers, search=marker).json()
    assert slugs(own) == [draft["slug"], public["slug"]]
    assert slugs(api.list_articles(stranger.headers, search=marker).json()) == [public["slug"]]


def test_search_matches_title_or_content_case_insensitively(
    api: ContractClient, author: Account
) -> None:
    marker = unique("srch")
    in_title = api.create_article(author, title=f"About {marker.upper()} things")
    body = {
        "title": unique("Plain "),
        "content": f"text with {marker.capitalize()} inside",
        "published": True,
    }
    response = api.http.post("/api/articles", json=body, headers=author.headers)
    assert response.status_code == 201, response.text
    in_content = response.json()
    found = api.list_articles(search=marker.lower()).json()
    assert slugs(found) == [in_content["slug"], in_title["slug"]]


def test_published_filter(api: ContractClient, author: Account) -> None:
    marker = unique("pub")
    public = api.create_article(author, title=f"{marker} public", published=True)
    draft = api.create_article(author, title=f"{marker} draft", published=False)
    drafts = api.list_articles(author.headers, search=marker, published="false").json()
    assert slugs(drafts) == [draft["slug"]]
    published = api.list_articles(author.headers, search=marker, published="true").json()
    assert slugs(published) == [public["slug"]]
    assert api.list_articles(search=marker, published="false").json()["count"] == 0


def test_author_filter(api: ContractClient, author: Account, stranger: Account) -> None:
    marker = unique("auth")
    mine = api.create_article(author, title=f"{marker} author")
    api.create_article(stranger, title=f"{marker} stranger")
    page = api.list_articles(search=marker, author=author.username).json()
    assert slugs(page) == [mine["slug"]]
    assert page["results"][0]["author"] == {"id": author.id, "username": author.username}
    assert api.list_articles(author=unique("nobody")).json()["count"] == 0


def test_pages_link_to_each_other_with_absolute_urls(api: ContractClient, author: Account) -> None:
    marker = unique("page")
    created = marked_articles(api, author, marker, 3)
    first = api.list_articles(search=marker, page_size="2").json()
    assert first["count"] == 3
    assert first["previous"] is None
    assert slugs(first) == [created[2]["slug"], created[1]["slug"]]
    next_url = first["next"]
    assert_absolute_and_keeps(api, next_url, search=marker, page_size="2", page="2")
    second = api.http.get(next_url).json()
    assert slugs(second) == [created[0]["slug"]]
    assert second["next"] is None
    assert_absolute_and_keeps(api, second["previous"], search=marker, page_size="2")
    assert slugs(api.http.get(second["previous"]).json()) == slugs(first)


def assert_absolute_and_keeps(api: ContractClient, url: object, **params: str) -> None:
    assert isinstance(url, str), url
    parts, base = urlsplit(url), urlsplit(api.base_url)
    assert (parts.scheme, parts.netloc) == (base.scheme, base.netloc), url
    assert parts.path == "/api/articles", url
    query = parse_qs(parts.query)
    for name, value in params.items():
        assert query.get(name) == [value], (name, url)
    assert query.get("page", ["1"]) != ["0"], url


def test_page_size_defaults_to_twenty(api: ContractClient, author: Account) -> None:
    marker = unique("many")
    marked_articles(api, author, marker, 21)
    page = api.list_articles(search=marker).json()
    assert page["count"] == 21
    assert len(page["results"]) == 20
    assert page["next"]
    assert len(api.list_articles(search=marker, page_size="100").json()["results"]) == 21


def test_a_page_past_the_end_is_404(api: ContractClient, author: Account) -> None:
    marker = unique("end")
    marked_articles(api, author, marker, 1)
    response = api.list_articles(search=marker, page="2")
    assert response.status_code == 404, response.text
    assert_error_body(response)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "0"),
        ("page", "-1"),
        ("page", "abc"),
        ("page_size", "0"),
        ("page_size", "101"),
        ("page_size", "1000"),
        ("page_size", "two"),
        ("published", "maybe"),
    ],
)
def test_a_bad_query_value_is_422(api: ContractClient, name: str, value: str) -> None:
    response = api.http.get("/api/articles", params={name: value})
    assert_validation_error(response, name, "query")
    locations = [item["loc"] for item in response.json()["detail"]]
    assert ["query", name] in locations, locations


def test_create_answers_201_with_location(api: ContractClient, author: Account) -> None:
    title = unique("Created ")
    body = {"title": title, "content": "Some content.", "published": True}
    response = api.http.post("/api/articles", json=body, headers=author.headers)
    assert response.status_code == 201, response.text
    article = response.json()
    assert_article_object(article)
    assert (article["title"], article["content"], article["published"]) == (
        title,
        "Some content.",
        True,
    )
    assert article["author"] == {"id": author.id, "username": author.username}
    location = urljoin(api.base_url + "/", response.headers["location"])
    assert urlsplit(location).path == f"/api/articles/{article['slug']}"
    assert api.http.get(location).json() == article
    assert_no_password(response, author.password)


def test_create_defaults_to_a_draft_or_published_flag(api: ContractClient, author: Account) -> None:
    body = {"title": unique("Default "), "content": "x"}
    response = api.http.post("/api/articles", json=body, headers=author.headers)
    assert response.status_code == 201, response.text
    assert isinstance(response.json()["published"], bool)


def test_create_needs_a_caller(api: ContractClient) -> None:
    response = api.http.post("/api/articles", json={"title": unique("Anon "), "content": "x"})
    assert response.status_code == 401, response.text
    assert_error_body(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "", "content": "x"}, "title"),
        ({"title": "x" * 201, "content": "x"}, "title"),
        ({"content": "x"}, "title"),
        ({"title": "No content here"}, "content"),
        ({"title": "Flag", "content": "x", "published": "maybe"}, "published"),
    ],
    ids=["empty-title", "long-title", "no-title", "no-content", "bad-flag"],
)
def test_create_validates_the_body(
    api: ContractClient, author: Account, body: dict[str, Any], field: str
) -> None:
    response = api.http.post("/api/articles", json=body, headers=author.headers)
    assert_validation_error(response, field, "body")


def test_create_accepts_a_title_of_two_hundred_characters(
    api: ContractClient, author: Account
) -> None:
    title = unique("T") + "x" * 189
    assert len(title) == 200
    response = api.http.post(
        "/api/articles", json={"title": title, "content": "x"}, headers=author.headers
    )
    assert response.status_code == 201, response.text


def test_slug_comes_from_the_title_with_a_suffix_on_collision(
    api: ContractClient, author: Account
) -> None:
    first = api.create_article(author, title="Hello, World!")
    second = api.create_article(author, title="Hello, World!")
    third = api.create_article(author, title="hello world")
    assert first["slug"] == "hello-world"
    assert second["slug"] == "hello-world-2"
    assert third["slug"].startswith("hello-world-")
    assert len({first["slug"], second["slug"], third["slug"]}) == 3


def test_slug_is_lowercase_words_joined_by_dashes(api: ContractClient, author: Account) -> None:
    marker = unique("m")
    article = api.create_article(author, title=f"  My {marker.upper()} Post: Part 1!  ")
    assert article["slug"] == f"my-{marker}-post-part-1"


def test_create_ignores_server_owned_fields(
    api: ContractClient, author: Account, stranger: Account
) -> None:
    body = {
        "title": unique("Owned "),
        "content": "x",
        "id": 987654321,
        "slug": unique("forced-slug-"),
        "author": {"id": stranger.id, "username": stranger.username},
        "created_at": "2001-01-01T00:00:00+00:00",
        "updated_at": "2001-01-01T00:00:00+00:00",
    }
    response = api.http.post("/api/articles", json=body, headers=author.headers)
    assert response.status_code == 201, response.text
    article = response.json()
    assert article["id"] != body["id"]
    assert article["slug"] != body["slug"]
    assert article["author"] == {"id": author.id, "username": author.username}
    recent = datetime.now(UTC) - timedelta(hours=1)
    assert assert_timestamp(article["created_at"]) > recent
    assert assert_timestamp(article["updated_at"]) > recent


def test_get_by_slug(api: ContractClient, author: Account) -> None:
    article = api.create_article(author)
    response = api.http.get(f"/api/articles/{article['slug']}")
    assert response.status_code == 200, response.text
    assert response.json() == article


def test_get_a_missing_article_is_404(api: ContractClient) -> None:
    response = api.http.get(f"/api/articles/{unique('missing-')}")
    assert response.status_code == 404, response.text
    assert_error_body(response)


def test_a_draft_is_visible_to_its_author_only(
    api: ContractClient, author: Account, stranger: Account
) -> None:
    draft = api.create_article(author, published=False)
    path = f"/api/articles/{draft['slug']}"
    assert api.http.get(path, headers=author.headers).status_code == 200
    for headers in ({}, stranger.headers):
        response = api.http.get(path, headers=headers)
        assert response.status_code == 404, response.text
        assert_error_body(response)


def test_patch_updates_only_the_given_fields(api: ContractClient, author: Account) -> None:
    article = api.create_article(author, published=False)
    path = f"/api/articles/{article['slug']}"
    response = api.http.patch(path, json={"title": "Renamed title"}, headers=author.headers)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert_article_object(updated)
    assert updated["title"] == "Renamed title"
    assert (updated["slug"], updated["content"], updated["published"]) == (
        article["slug"],
        article["content"],
        False,
    )
    assert updated["created_at"] == article["created_at"]
    assert assert_timestamp(updated["updated_at"]) >= assert_timestamp(article["updated_at"])
    published = api.http.patch(path, json={"published": True}, headers=author.headers).json()
    assert (published["title"], published["published"]) == ("Renamed title", True)
    assert api.http.get(path).json()["title"] == "Renamed title"


def test_patch_needs_a_caller(api: ContractClient, author: Account) -> None:
    article = api.create_article(author)
    response = api.http.patch(f"/api/articles/{article['slug']}", json={"title": "Anon"})
    assert response.status_code == 401, response.text
    assert_error_body(response)


def test_patch_by_someone_else_is_403(
    api: ContractClient, author: Account, stranger: Account
) -> None:
    article = api.create_article(author)
    path = f"/api/articles/{article['slug']}"
    response = api.http.patch(path, json={"title": "Hijacked"}, headers=stranger.headers)
    assert response.status_code == 403, response.text
    assert_error_body(response)
    assert api.http.get(path).json()["title"] == article["title"]


def test_patch_a_missing_or_hidden_article_is_404(
    api: ContractClient, author: Account, stranger: Account
) -> None:
    draft = api.create_article(author, published=False)
    for slug in (unique("missing-"), draft["slug"]):
        response = api.http.patch(
            f"/api/articles/{slug}", json={"title": "New"}, headers=stranger.headers
        )
        assert response.status_code == 404, (slug, response.text)
        assert_error_body(response)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"published": "maybe"}, "published"),
    ],
    ids=["empty-title", "long-title", "bad-flag"],
)
def test_patch_validates_the_body(
    api: ContractClient, author: Account, body: dict[str, Any], field: str
) -> None:
    article = api.create_article(author)
    path = f"/api/articles/{article['slug']}"
    assert_validation_error(api.http.patch(path, json=body, headers=author.headers), field, "body")


def test_delete_answers_204_with_an_empty_body(api: ContractClient, author: Account) -> None:
    article = api.create_article(author)
    path = f"/api/articles/{article['slug']}"
    response = api.http.delete(path, headers=author.headers)
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert api.http.get(path).status_code == 404


def test_delete_needs_the_author(api: ContractClient, author: Account, stranger: Account) -> None:
    article = api.create_article(author)
    path = f"/api/articles/{article['slug']}"
    anonymous = api.http.delete(path)
    assert anonymous.status_code == 401, anonymous.text
    assert_error_body(anonymous)
    forbidden = api.http.delete(path, headers=stranger.headers)
    assert forbidden.status_code == 403, forbidden.text
    assert_error_body(forbidden)
    assert api.http.get(path).status_code == 200


def test_delete_a_missing_or_hidden_article_is_404(
    api: ContractClient, author: Account, stranger: Account
) -> None:
    draft = api.create_article(author, published=False)
    for slug in (unique("missing-"), draft["slug"]):
        response = api.http.delete(f"/api/articles/{slug}", headers=stranger.headers)
        assert response.status_code == 404, (slug, response.text)
        assert_error_body(response)
    assert api.http.get(f"/api/articles/{draft['slug']}", headers=author.headers).is_success
