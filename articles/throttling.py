"""Throttling of the API (kept apart from articles.api, which DRF's settings import late)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonThrottle(AnonRateThrottle):
    """Requests per client address, at ``KB_API_ANON_RATE`` (read per request, so tests can change it)."""

    def get_rate(self):
        return settings.KB_API_ANON_RATE
