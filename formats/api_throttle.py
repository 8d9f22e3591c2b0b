"""The content API's rate limit: requests per client address, counted in the shared cache."""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from ninja.throttling import BaseThrottle

from newsroom.middleware import client_ip

logger = logging.getLogger(__name__)


class AddressThrottle(BaseThrottle):
    """At most ``settings.API_RATE_LIMIT`` requests (e.g. ``300/m``) per client address in any
    such period, counted in the shared cache (so across processes, approximately: two requests
    at the same instant may both be let in). A cache that fails lets the request through: it is
    an accelerator, never a gate that can close the API. One instance serves every thread, so
    what ``wait()`` reports is kept per thread."""

    PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def __init__(self):
        self._state = threading.local()

    def rate(self) -> tuple[int, int]:
        count, _, period = settings.API_RATE_LIMIT.partition("/")
        return int(count), self.PERIODS[period[:1]]

    def allow_request(self, request) -> bool:
        allowed, seconds = self.rate()
        key = f"newsroom:api-rate:{client_ip(request)}"
        now = time.time()
        try:
            recent = [moment for moment in cache.get(key, []) if moment > now - seconds]
            if len(recent) >= allowed:
                self._state.wait = seconds - (now - min(recent))
                return False
            cache.set(key, [now, *recent], seconds)
        except Exception as error:  # a cache outage must not close the API
            logger.warning("API rate limit not applied: the cache failed (%s)", error)
        return True

    def wait(self) -> float | None:
        return getattr(self._state, "wait", None)
