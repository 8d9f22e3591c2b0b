"""“Add the French version”: a page that says what carries over, then starts the draft."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from releases.text.languages import language_in_sentence
from releases.workflow import translations
from releases.workflow.admin.confirm import what_readers_see

CARRIED_OVER = _(
    "The new version starts as a draft with this one's type, dateline, campaign, topics, media "
    "contacts and images (with their alt text and captions), and with its headline, summary, "
    "body and quotes to translate in place. It is marked as needing translation until you "
    "untick that."
)
STARTED = _(
    "The %(language)s version is started as a draft, with what carries over. Translate the "
    "headline, web address, summary, body, quotes and image texts, then untick “needs "
    "translation”."
)

COULD_NOT_START = _(
    "The new version could not be started: it may exist already (see “Language versions”), or "
    "an image's file could not be read. Nothing was changed."
)


class TranslateMixin:
    def translate_view(self, request, object_id, language):
        release = self._release_or_404(request, object_id)
        names = dict(settings.LANGUAGES)
        if language not in names or language == release.language:
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        errors = []
        if request.method == "POST":
            try:
                draft = translations.start_translation(
                    release=release, language=language, by=request.user
                )
            except ValidationError as error:
                errors = error.messages
            except (IntegrityError, OSError):
                # Another click started it meanwhile, or an image's file could not be read.
                errors = [str(COULD_NOT_START)]
            else:
                self.message_user(
                    request,
                    STARTED % {"language": language_in_sentence(language)},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:releases_release_change", args=[draft.pk])
                )
        return self._form_page(
            request,
            release,
            None,
            _("Start the %(language)s version of “%(release)s”?")
            % {"language": language_in_sentence(language), "release": release},
            submit_label=_("Start the %(language)s version")
            % {"language": language_in_sentence(language)},
            explanation=CARRIED_OVER,
            errors=errors,
            **what_readers_see(release),
        )
