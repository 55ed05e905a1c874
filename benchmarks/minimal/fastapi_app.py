"""FastAPI in one file: an asyncpg pool and plain dicts over the starter's own tables.

gunicorn -k uvicorn_worker.UvicornWorker --pythonpath benchmarks/minimal fastapi_app:app
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI, Request

ARTICLES, USERS = os.environ["ARTICLES_TABLE"], os.environ["USERS_TABLE"]
COUNT = f"SELECT count(*) FROM {ARTICLES} WHERE published"
PAGE = (
    f"SELECT a.id, a.title, a.slug, a.content, a.published, a.created_at, a.updated_at,"
    f" u.id AS author_id, u.username FROM {ARTICLES} a JOIN {USERS} u ON u.id = a.author_id"
    " WHERE a.published ORDER BY a.created_at DESC, a.id DESC LIMIT $1 OFFSET $2"
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=1, max_size=8)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.get("/api/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


def article(row: asyncpg.Record) -> dict[str, Any]:
    fields = dict(row)
    author = {"id": fields.pop("author_id"), "username": fields.pop("username")}
    return {**fields, "author": author}


@app.get("/api/articles")
async def articles(request: Request, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    async with request.app.state.pool.acquire() as connection:
        count = await connection.fetchval(COUNT)
        rows = await connection.fetch(PAGE, page_size, (page - 1) * page_size)
    base = str(request.url.remove_query_params(["page", "page_size"]))
    following = (
        f"{base}?page={page + 1}&page_size={page_size}" if page * page_size < count else None
    )
    previous = f"{base}?page={page - 1}&page_size={page_size}" if page > 1 else None
    return {
        "count": count,
        "next": following,
        "previous": previous,
        "results": [article(r) for r in rows],
    }
