"""Settings of the formats app, checked at start-up (``manage.py check``, ``migrate``)."""

import re

from django.conf import settings
from django.core.checks import Error, register

RATE = re.compile(r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$")


@register
def api_rate_limit(app_configs, **kwargs):
    value = getattr(settings, "API_RATE_LIMIT", "")
    if RATE.match(str(value)):
        return []
    return [
        Error(
            f"API_RATE_LIMIT is {value!r}: give requests per period, e.g. 300/m (s, m, h or d).",
            id="formats.E001",
        )
    ]
