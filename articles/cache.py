"""A Redis cache that the site survives losing.

The shared cache holds rendered pages, sessions (read-through: they are also in the
database) and the API's request counts. None of it is needed to answer a reader: without it
a page is rendered from the database. So :class:`ResilientRedisCache` turns every Redis
failure into a cache miss:

* calls time out after ``CACHE_SOCKET_TIMEOUT`` seconds (0.25 by default) and are not retried;
* after a failure the cache is skipped for ``CACHE_RETRY_SECONDS`` (5), so a dead or hung Redis
  costs one timeout per worker per interval, not one per request;
* an outage is logged once when it starts and once when Redis answers again, not per request.

:func:`cache_state` tells ``/healthz`` whether the cache is ok, down or not configured.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

logger = logging.getLogger("kb.cache")

FAILURES = (RedisError, OSError)


class Outage:
    """This process's view of the cache: answering, or down since when (shared by its threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since = None  # time.monotonic() of the first failure of the current outage
        self.retry_at = 0.0

    def skipping(self):
        return self.since is not None and time.monotonic() < self.retry_at

    def failed(self, error):
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + settings.CACHE_RETRY_SECONDS
            if self.since is None:
                self.since = now
                logger.warning(
                    "Cache unavailable (%s: %s); pages are served from the database until it answers.",
                    type(error).__name__,
                    error,
                )

    def answered(self):
        if self.since is None:
            return
        with self.lock:
            if self.since is not None:
                logger.warning("Cache answering again after %.0f s.", time.monotonic() - self.since)
                self.since = None


OUTAGE = Outage()


def _resilient(method, fallback):
    def call(self, *args, **kwargs):
        if OUTAGE.skipping():
            return fallback(*args, **kwargs)
        try:
            result = method(self, *args, **kwargs)
        except FAILURES as error:
            OUTAGE.failed(error)
            return fallback(*args, **kwargs)
        OUTAGE.answered()
        return result

    call.__name__ = method.__name__
    return call


class ResilientRedisClient(RedisCacheClient):
    """Django's Redis client, each call answering as a cache miss when Redis fails."""

    add = _resilient(RedisCacheClient.add, lambda *a, **k: False)
    get = _resilient(RedisCacheClient.get, lambda key, default: default)
    set = _resilient(RedisCacheClient.set, lambda *a, **k: None)
    touch = _resilient(RedisCacheClient.touch, lambda *a, **k: False)
    delete = _resilient(RedisCacheClient.delete, lambda *a, **k: False)
    get_many = _resilient(RedisCacheClient.get_many, lambda *a, **k: {})
    has_key = _resilient(RedisCacheClient.has_key, lambda *a, **k: False)
    incr = _resilient(RedisCacheClient.incr, lambda key, delta: delta)
    set_many = _resilient(RedisCacheClient.set_many, lambda data, timeout: list(data))
    delete_many = _resilient(RedisCacheClient.delete_many, lambda *a, **k: None)
    clear = _resilient(RedisCacheClient.clear, lambda *a, **k: False)


class ResilientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` with short timeouts and no failures."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        options = params["OPTIONS"]
        options.setdefault("socket_connect_timeout", settings.CACHE_SOCKET_TIMEOUT)
        options.setdefault("socket_timeout", settings.CACHE_SOCKET_TIMEOUT)
        options.setdefault("retry", Retry(NoBackoff(), 0))  # redis-py would retry with backoff
        super().__init__(server, params)
        self._class = ResilientRedisClient

    def ping(self):
        """True if Redis answers now (ignores the retry interval)."""
        try:
            answered = bool(self._cache.get_client(write=False).ping())
        except FAILURES as error:
            OUTAGE.failed(error)
            return False
        OUTAGE.answered()
        return answered


def cache_state():
    """ "ok", "down" or "not configured" (no shared cache: each worker keeps its own in memory)."""
    backend = caches["default"]
    if not isinstance(backend, ResilientRedisCache):
        return "not configured"
    return "ok" if backend.ping() else "down"
