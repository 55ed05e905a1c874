"""The connections of this process, and how events reach them (Redis or in-process)."""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import redis

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 2.0
SUBSCRIBE_WAIT_SECONDS = 2.0
RETRY_SECONDS = 1.0


class Connection:
    """One client's bounded queue; a full queue marks the client too slow to keep."""

    def __init__(self, size: int) -> None:
        self.queue: queue.Queue[str] = queue.Queue(maxsize=size)
        self.overflowed = False

    def offer(self, message: str) -> None:
        try:
            self.queue.put_nowait(message)
        except queue.Full:
            self.overflowed = True


class Hub:
    """The live connections of this process. Delivering never waits for a client."""

    def __init__(self, *, queue_size: int, max_connections: int) -> None:
        self.queue_size = queue_size
        self.max_connections = max_connections
        self._connections: set[Connection] = set()
        self._lock = threading.Lock()

    @property
    def full(self) -> bool:
        return len(self._connections) >= self.max_connections

    def open(self) -> Connection:
        connection = Connection(self.queue_size)
        with self._lock:
            self._connections.add(connection)
        return connection

    def close(self, connection: Connection) -> None:
        with self._lock:
            self._connections.discard(connection)

    def deliver(self, message: str) -> None:
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.offer(message)


class LocalFanout:
    """Without Redis: an event reaches the connections of the process that made it."""

    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def start(self) -> None:
        """Nothing to listen to."""

    def publish(self, message: str) -> None:
        self.hub.deliver(message)


class RedisFanout:
    """Events go to a Redis channel; one thread per process hands them to its connections."""

    def __init__(self, hub: Hub, url: str, *, channel: str) -> None:
        import redis

        self.hub = hub
        self.channel = channel
        self._url = url
        self._client: redis.Redis = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT_SECONDS, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
        )
        self._pid = 0
        self._subscribed = threading.Event()
        self._lock = threading.Lock()

    def start(self) -> None:
        """Listen in this process (once; again after a fork) and wait for the subscription."""
        if self._pid != os.getpid():
            with self._lock:
                if self._pid != os.getpid():
                    self._subscribed = threading.Event()
                    threading.Thread(target=self._listen, name="live-listener", daemon=True).start()
                    self._pid = os.getpid()
        self._subscribed.wait(SUBSCRIBE_WAIT_SECONDS)

    def publish(self, message: str) -> None:
        import redis

        try:
            self._client.publish(self.channel, message)
        except redis.RedisError as error:
            # The article is saved; only its live notice is lost.
            logger.warning("live updates: Redis did not take an event (%s)", error)

    def _listen(self) -> None:
        import redis

        while True:
            try:
                self._relay(redis.Redis.from_url(self._url, health_check_interval=30))
            except redis.RedisError as error:
                self._subscribed.clear()
                logger.warning("live updates: lost Redis (%s); listening again", error)
                time.sleep(RETRY_SECONDS)

    def _relay(self, client: redis.Redis) -> None:
        pubsub = client.pubsub()  # type: ignore[no-untyped-call, unused-ignore]
        pubsub.subscribe(self.channel)
        while True:
            item = pubsub.get_message(timeout=1.0)
            if item is None:
                continue
            if item["type"] == "subscribe":
                self._subscribed.set()  # Redis confirmed: no event published from now is missed
            elif item["type"] == "message":
                data = item["data"]
                self.hub.deliver(data.decode() if isinstance(data, bytes) else str(data))
