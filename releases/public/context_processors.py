from pagecache import caching
from releases.models import Organisation


def newsroom(request):
    """The organisation is in every page's header; it changes rarely, so it is kept with the
    other public values (stale after any change to the newsroom's data, its contacts included)."""
    return {"organisation": caching.remember(caching.key_for("organisation"), Organisation.current)}
