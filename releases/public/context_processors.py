from releases.models import Organisation


def newsroom(request):
    """The organisation is in every page's header and footer."""
    return {"organisation": Organisation.current_cached()}
