"""Who may see a release before it is public, in one place: the signed token of a preview link,
the session that remembers the links a visitor opened, and ``may_preview``, which the preview
pages and the file views both ask.

Staff who may view releases preview any of them; anyone else only the releases of the preview
links they opened in this session that still work. Creating and revoking a link changes the
record, so it is done (and logged) by ``releases.workflow.publishing``.
"""

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing

from releases.models import PreviewLink

PREVIEW_LINK_LIFETIME = timedelta(days=7)
PREVIEW_SALT = "releases.preview-link"
# The preview links a visitor opened, kept in their session so that the file views let them see
# the release's images and documents too.
PREVIEW_LINKS_SESSION_KEY = "newsroom:preview-links"
PERM_VIEW = "releases.view_release"


def token_for(link: PreviewLink) -> str:
    """The signed token of a preview link's address."""
    return signing.dumps({"link": link.pk}, salt=PREVIEW_SALT)


def link_from_token(token: str) -> PreviewLink | None:
    """The active link a token names, or None if it is tampered with, expired or revoked."""
    try:
        data = signing.loads(
            token, salt=PREVIEW_SALT, max_age=PREVIEW_LINK_LIFETIME.total_seconds()
        )
    except signing.BadSignature:
        return None
    link_id = data.get("link") if isinstance(data, dict) else None
    if not isinstance(link_id, int):
        return None
    return PreviewLink.objects.active().select_related("release").filter(pk=link_id).first()


def remember_link(request, link: PreviewLink) -> None:
    """Keep the opened link in the visitor's session, for the release's files."""
    opened = request.session.get(PREVIEW_LINKS_SESSION_KEY, [])
    if link.pk not in opened:
        request.session[PREVIEW_LINKS_SESSION_KEY] = [*opened, link.pk]


def staff_may_preview(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff who may view releases preview every one of them."""
    return bool(user.is_active and user.is_staff and user.has_perm(PERM_VIEW))


def previewable_releases(request) -> set[int] | None:
    """The releases this request may preview: None for every one (staff), else the ids of the
    releases of the working preview links opened in this session (often none)."""
    user = getattr(request, "user", None)
    if user is not None and staff_may_preview(user):
        return None
    session = getattr(request, "session", None)
    link_ids = session.get(PREVIEW_LINKS_SESSION_KEY) if session is not None else None
    if not link_ids:
        return set()
    return set(
        PreviewLink.objects.active().filter(pk__in=link_ids).values_list("release_id", flat=True)
    )


def may_preview(
    request, release_id: int | None, *, allowed: set[int] | None | bool = False
) -> bool:
    """Whether this request may see the release ``release_id`` before it is public.
    ``allowed``: what ``previewable_releases(request)`` already answered, if asked."""
    if release_id is None:
        return False
    if allowed is False:
        allowed = previewable_releases(request)
    return allowed is None or release_id in allowed
