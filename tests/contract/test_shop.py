"""CONTRACT.md "Shop" (app kind `ecommerce`): products, orders, idempotency and stock, black-box.

One ecommerce render per framework x database, migrated and served by its production
server (2 workers). Staff accounts come from the starter's own staff command. Every test
makes its own users and products, so none depends on another or on their order.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.contract.client import (
    Account,
    ContractClient,
    assert_error_body,
    assert_validation_error,
    at_once,
    bearer,
    unique,
)
from tests.contract.conftest import server_params
from tests.contract.forms import create_staff
from tests.contract.servers import (
    RunningStarter,
    migrated_server,
    prepare,
)

# The starters that serve the shop; the others' tests skip, saying so.
SERVING_SHOP = ("django", "flask", "fastapi")
PRODUCT_FIELDS = {"id", "name", "slug", "price", "stock"}


@pytest.fixture(scope="module", params=server_params())
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStarter]:
    framework, database = request.param
    if framework not in SERVING_SHOP:
        pytest.skip(f"the {framework} starter does not serve the shop yet")
    workdir = tmp_path_factory.mktemp(f"shop-{framework}-{database}")
    starter = prepare(framework, database, workdir, app_kind="ecommerce")
    with migrated_server(starter) as live:
        yield live


@pytest.fixture(scope="module")
def api(shop: RunningStarter) -> Iterator[ContractClient]:
    label = f"{shop.starter.framework}-{shop.starter.database}"
    with httpx.Client(base_url=shop.base_url, timeout=30) as http:
        yield ContractClient(shop.base_url, shop.secret_key, http, label)


@pytest.fixture(scope="module")
def staff(shop: RunningStarter, api: ContractClient) -> dict[str, str]:
    username, password = create_staff(shop)
    return bearer(api.token(username, password))


@pytest.fixture(scope="module")
def buyer(api: ContractClient) -> Account:
    return api.register()


def add_product(
    api: ContractClient, staff: dict[str, str], *, price: str = "12.50", stock: int = 10
) -> dict[str, Any]:
    body = {"name": f"Mug {unique()}", "price": price, "stock": stock}
    response = api.http.post("/api/products", json=body, headers=staff)
    assert response.status_code == 201, response.text
    product: dict[str, Any] = response.json()
    return product


def order(
    http: httpx.Client, account: Account, items: list[dict[str, int]], key: str | None = None
) -> httpx.Response:
    headers = {**account.headers, "Idempotency-Key": key or secrets.token_hex(8)}
    return http.post("/api/orders", json={"items": items}, headers=headers)


def stock_of(api: ContractClient, product_id: int) -> int:
    """The product's stock, read from the list as any client would."""
    page: dict[str, Any] = {"next": "/api/products?page_size=100"}
    while page["next"]:
        page = api.http.get(page["next"]).json()
        for product in page["results"]:
            if product["id"] == product_id:
                stock: int = product["stock"]
                return stock
    raise AssertionError(f"product {product_id} is not listed")


def orders_of(api: ContractClient, account: Account) -> list[dict[str, Any]]:
    response = api.http.get("/api/orders", params={"page_size": 100}, headers=account.headers)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


# --- Products ------------------------------------------------------------------------------


def test_staff_add_products_with_decimal_prices_and_unique_slugs(
    api: ContractClient, staff: dict[str, str]
) -> None:
    name = f"Blue Mug {unique()}"
    first = api.http.post(
        "/api/products", json={"name": name, "price": "12.5", "stock": 3}, headers=staff
    )
    second = api.http.post(
        "/api/products", json={"name": name, "price": "0", "stock": 0}, headers=staff
    )
    assert (first.status_code, second.status_code) == (201, 201), second.text
    product = first.json()
    assert set(product) == PRODUCT_FIELDS
    assert (product["price"], product["stock"]) == ("12.50", 3)
    assert second.json()["slug"] == f"{product['slug']}-2"


def test_adding_products_needs_a_staff_token(api: ContractClient, buyer: Account) -> None:
    body = {"name": "Pen", "price": "1.00", "stock": 1}
    anonymous = api.http.post("/api/products", json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].lower().startswith("bearer")
    not_staff = api.http.post("/api/products", json=body, headers=buyer.headers)
    assert not_staff.status_code == 403
    assert_error_body(not_staff)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Pen", "price": "-1.00", "stock": 1}, "price"),
        ({"name": "Pen", "price": "1.00", "stock": -1}, "stock"),
        ({"name": "Pen", "price": "1.001", "stock": 1}, "price"),
    ],
    ids=["negative-price", "negative-stock", "three-places"],
)
def test_bad_products_are_422(
    api: ContractClient, staff: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = api.http.post("/api/products", json=body, headers=staff)
    assert_validation_error(response, field, "body")


def test_products_are_listed_in_pages(api: ContractClient, staff: dict[str, str]) -> None:
    for _ in range(2):
        add_product(api, staff)
    response = api.http.get("/api/products", params={"page_size": 1})
    assert response.status_code == 200
    page = response.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] >= 2
    assert len(page["results"]) == 1
    assert page["next"].startswith("http")
    assert page["previous"] is None
    assert set(page["results"][0]) == PRODUCT_FIELDS
    assert api.http.get("/api/products", params={"page_size": 1000}).status_code == 422


# --- Orders --------------------------------------------------------------------------------


def test_an_order_takes_the_stock_and_totals_in_decimal(
    api: ContractClient, staff: dict[str, str], buyer: Account
) -> None:
    mug, pen = add_product(api, staff, price="12.50"), add_product(api, staff, price="0.10")
    items = [{"product": mug["id"], "quantity": 2}, {"product": pen["id"], "quantity": 3}]
    response = order(api.http, buyer, items)
    assert response.status_code == 201, response.text
    placed = response.json()
    assert placed["status"] == "placed"
    assert Decimal(placed["total"]) == Decimal("25.30")
    assert isinstance(placed["total"], str)
    assert {item["product"]: item["quantity"] for item in placed["items"]} == {
        mug["id"]: 2,
        pen["id"]: 3,
    }
    assert (stock_of(api, mug["id"]), stock_of(api, pen["id"])) == (8, 7)


def test_a_short_item_is_409_and_changes_nothing(
    api: ContractClient, staff: dict[str, str], buyer: Account
) -> None:
    plenty, scarce = add_product(api, staff, stock=10), add_product(api, staff, stock=1)
    before = len(orders_of(api, buyer))
    items = [{"product": plenty["id"], "quantity": 1}, {"product": scarce["id"], "quantity": 2}]
    response = order(api.http, buyer, items)
    assert response.status_code == 409
    assert_error_body(response)
    assert (stock_of(api, plenty["id"]), stock_of(api, scarce["id"])) == (10, 1)
    assert len(orders_of(api, buyer)) == before


def test_the_same_key_and_body_answer_the_first_order(
    api: ContractClient, staff: dict[str, str], buyer: Account
) -> None:
    product = add_product(api, staff, stock=5)
    items, key = [{"product": product["id"], "quantity": 2}], unique("key")
    first, again = order(api.http, buyer, items, key), order(api.http, buyer, items, key)
    assert first.status_code == 201
    assert again.status_code in (200, 201)
    assert again.json() == first.json()
    assert stock_of(api, product["id"]) == 3
    assert [o["id"] for o in orders_of(api, buyer)].count(first.json()["id"]) == 1


def test_the_same_key_with_another_body_is_422(
    api: ContractClient, staff: dict[str, str], buyer: Account
) -> None:
    product = add_product(api, staff, stock=5)
    key = unique("key")
    assert (
        order(api.http, buyer, [{"product": product["id"], "quantity": 1}], key).status_code == 201
    )
    other = order(api.http, buyer, [{"product": product["id"], "quantity": 2}], key)
    assert other.status_code == 422
    assert_error_body(other)
    assert stock_of(api, product["id"]) == 4


def test_an_order_needs_a_key_valid_items_and_known_products(
    api: ContractClient, staff: dict[str, str], buyer: Account
) -> None:
    product = add_product(api, staff, stock=5)
    body = {"items": [{"product": product["id"], "quantity": 1}]}
    no_key = api.http.post("/api/orders", json=body, headers=buyer.headers)
    assert no_key.status_code == 422
    long_key = order(api.http, buyer, body["items"], "k" * 256)
    assert long_key.status_code == 422
    assert_validation_error(order(api.http, buyer, []), "items", "body")
    assert_validation_error(
        order(api.http, buyer, [{"product": product["id"], "quantity": 0}]), "quantity", "body"
    )
    assert_validation_error(
        order(api.http, buyer, [{"product": 2**31, "quantity": 1}]), "items", "body"
    )
    anonymous = api.http.post("/api/orders", json=body, headers={"Idempotency-Key": "k"})
    assert anonymous.status_code == 401
    assert stock_of(api, product["id"]) == 5


def test_the_order_list_holds_only_the_callers_orders(
    api: ContractClient, staff: dict[str, str]
) -> None:
    product = add_product(api, staff, stock=10)
    ada, bob = api.register(), api.register()
    mine = order(api.http, ada, [{"product": product["id"], "quantity": 1}]).json()
    order(api.http, bob, [{"product": product["id"], "quantity": 1}])
    response = api.http.get("/api/orders", headers=ada.headers)
    assert response.status_code == 200
    page = response.json()
    assert page["count"] == 1
    assert page["results"] == [mine]
    assert api.http.get("/api/orders").status_code == 401


# --- Concurrency ---------------------------------------------------------------------------


def test_fifty_concurrent_orders_for_the_last_five_units(
    api: ContractClient, staff: dict[str, str]
) -> None:
    product = add_product(api, staff, stock=5)
    buyers = [api.register() for _ in range(5)]

    def buy(http: httpx.Client, index: int) -> int:
        items = [{"product": product["id"], "quantity": 1}]
        return order(http, buyers[index % len(buyers)], items).status_code

    statuses = at_once(api.base_url, 50, buy)
    assert sorted(statuses) == [201] * 5 + [409] * 45
    assert stock_of(api, product["id"]) == 0


def test_concurrent_replays_of_one_key_place_one_order(
    api: ContractClient, staff: dict[str, str]
) -> None:
    product = add_product(api, staff, stock=20)
    account, key = api.register(), unique("key")
    items = [{"product": product["id"], "quantity": 2}]

    def replay(http: httpx.Client, _: int) -> httpx.Response:
        return order(http, account, items, key)

    answers = at_once(api.base_url, 10, replay)
    assert {answer.status_code for answer in answers} <= {200, 201}, [a.text for a in answers]
    assert len({answer.json()["id"] for answer in answers}) == 1
    assert len(orders_of(api, account)) == 1
    assert stock_of(api, product["id"]) == 18
