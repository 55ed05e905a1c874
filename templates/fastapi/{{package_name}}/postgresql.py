"""The asyncpg connection class the engine uses for PostgreSQL."""

from __future__ import annotations

from asyncpg import Connection

# A close waits for the server to acknowledge; a hung server never does.
CLOSE_TIMEOUT_SECONDS = 0.1


class BoundedCloseConnection(Connection):  # type: ignore[misc]
    """Closes within CLOSE_TIMEOUT_SECONDS, then drops the socket.

    SQLAlchemy closes a broken connection "gracefully" with a 2 s wait, on top of the
    statement timeout that broke it.
    """

    async def close(self, *, timeout: float | None = None) -> None:  # noqa: ASYNC109
        bounded = CLOSE_TIMEOUT_SECONDS if timeout is None else min(timeout, CLOSE_TIMEOUT_SECONDS)
        await super().close(timeout=bounded)
