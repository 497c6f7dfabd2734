"""Redis that hangs fails fast instead of holding every page.

A Redis that is down refuses connections at once, but one that is hung (paused, swapping, a
network that drops packets) accepts them and never answers: every cache read then waits for its
socket timeout. The cache's connections use `FailFastConnection`: after one failure, this
process stops trying Redis for `PAUSE_SECONDS`, so the cache is a miss (read from the database)
without waiting, and then tries again. Each process (web worker, Celery worker) keeps its own
breaker; nothing here decides who may see what.
"""

from __future__ import annotations

import logging
import threading
import time

from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# How long to stop using a service after it failed to answer.
PAUSE_SECONDS = 15


class Breaker:
    """Remembers that a service failed, for a short while, in this process."""

    def __init__(self, name: str, pause_seconds: float = PAUSE_SECONDS):
        self.name = name
        self.pause_seconds = pause_seconds
        self._lock = threading.Lock()
        self._open_until = 0.0

    @property
    def is_open(self) -> bool:
        """True while the service failed less than `pause_seconds` ago."""
        return time.monotonic() < self._open_until

    def trip(self, error: BaseException | None = None) -> None:
        with self._lock:
            if not self.is_open:
                logger.warning(
                    "%s did not answer (%s); not trying it again for %s seconds.",
                    self.name,
                    error,
                    self.pause_seconds,
                )
            self._open_until = time.monotonic() + self.pause_seconds

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


cache_breaker = Breaker("The Redis cache")
broker_breaker = Breaker("The Celery broker")

FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class FailFastConnection(Connection):
    """redis-py's connection, refusing at once while the cache's breaker is open, and opening
    it when Redis fails to connect or to answer in time."""

    breaker = cache_breaker

    def connect(self, *args, **kwargs):
        if self.breaker.is_open:
            raise RedisConnectionError("Redis failed moments ago; not waiting for it again yet.")
        try:
            return super().connect(*args, **kwargs)
        except FAILURES as error:
            self.breaker.trip(error)
            raise

    def read_response(self, *args, **kwargs):
        try:
            return super().read_response(*args, **kwargs)
        except FAILURES as error:
            self.breaker.trip(error)
            raise
