"""Flask in one file: a psycopg pool and `jsonify` over the starter's own tables.

gunicorn --pythonpath benchmarks/minimal flask_app:app
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, Response, jsonify, request
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

ARTICLES, USERS = os.environ["ARTICLES_TABLE"], os.environ["USERS_TABLE"]
COUNT = f"SELECT count(*) AS n FROM {ARTICLES} WHERE published"
PAGE = (
    f"SELECT a.id, a.title, a.slug, a.content, a.published, a.created_at, a.updated_at,"
    f" u.id AS author_id, u.username FROM {ARTICLES} a JOIN {USERS} u ON u.id = a.author_id"
    " WHERE a.published ORDER BY a.created_at DESC, a.id DESC LIMIT %s OFFSET %s"
)

app = Flask(__name__)
pool = ConnectionPool(
    os.environ["DATABASE_URL"], min_size=1, max_size=8, kwargs={"row_factory": dict_row}
)


@app.get("/api/health")
def health() -> Response:
    return jsonify(status="ok")


def article(row: dict[str, Any]) -> dict[str, Any]:
    author = {"id": row.pop("author_id"), "username": row.pop("username")}
    row["created_at"] = row["created_at"].isoformat()
    row["updated_at"] = row["updated_at"].isoformat()
    return {**row, "author": author}


@app.get("/api/articles")
def articles() -> Response:
    page, size = request.args.get("page", 1, int), request.args.get("page_size", 20, int)
    with pool.connection() as connection:
        count = connection.execute(COUNT).fetchone()["n"]  # type: ignore[index]
        rows = connection.execute(PAGE, (size, (page - 1) * size)).fetchall()
    base = request.base_url
    following = f"{base}?page={page + 1}&page_size={size}" if page * size < count else None
    previous = f"{base}?page={page - 1}&page_size={size}" if page > 1 else None
    results = [article(row) for row in rows]
    return jsonify(count=count, next=following, previous=previous, results=results)
