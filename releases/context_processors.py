from django.core.cache import cache

from releases.models import CACHE_KEY_ORGANISATION, Organisation


def newsroom(request):
    """The organisation is in every page's header; it changes rarely, so it is cached."""
    organisation = cache.get(CACHE_KEY_ORGANISATION)
    if organisation is None:
        organisation = Organisation.current()
        if organisation is not None:
            cache.set(CACHE_KEY_ORGANISATION, organisation, 300)
    return {"organisation": organisation}
