"""The subscriber's pages. Their words are translated like the rest of the site's
(``/fr/alertes/gerer/…``); ``ENGLISH`` answers the English words under another language's prefix
(links in emails sent before the French words): 301 to the French words, and a one-click
unsubscribe POST is carried out where it lands."""

from django.urls import path, re_path, resolve
from django.utils.translation import pgettext_lazy

from alerts import views
from releases.public.addresses import EnglishWordedAddressView
from releases.public.urls import words

app_name = "alerts"

ALERTS = pgettext_lazy("URL", "alerts")
CHECK_INBOX = pgettext_lazy("URL", "check-your-inbox")
CONFIRM = pgettext_lazy("URL", "confirm")
MANAGE = pgettext_lazy("URL", "manage")
UNSUBSCRIBE = pgettext_lazy("URL", "unsubscribe")
DATA = pgettext_lazy("URL", "data")
ERASE = pgettext_lazy("URL", "erase")

urlpatterns = [
    path("", views.SignupView.as_view(), name="signup"),
    path(words("{w}/", w=CHECK_INBOX), views.check_inbox, name="check-inbox"),
    path(words("{w}/<str:token>/", w=CONFIRM), views.ConfirmView.as_view(), name="confirm"),
    path(words("{w}/<str:token>/", w=MANAGE), views.ManageView.as_view(), name="manage"),
    path(
        words("{w}/<str:token>/", w=UNSUBSCRIBE),
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    path(words("{w}/<str:token>/", w=DATA), views.download, name="download"),
    path(words("{w}/<str:token>/", w=ERASE), views.EraseView.as_view(), name="erase"),
]


class EnglishWordedAlertsView(EnglishWordedAddressView):
    """GET: 301 to the page's words in this language. POST (one-click unsubscribe from an email
    sent before): the page's own view answers it here."""

    http_method_names = ["get", "head", "post"]

    def post(self, request, *args, **kwargs):
        from django.conf import settings
        from django.http import Http404
        from django.urls import Resolver404
        from django.utils import translation

        language = translation.get_language()
        rest = request.path_info.removeprefix(f"/{language}/")
        try:
            with translation.override(settings.LANGUAGE_CODE):
                match = resolve(f"/{settings.LANGUAGE_CODE}/{rest}")
        except Resolver404 as error:
            raise Http404("No such page") from error
        if match.url_name != "unsubscribe":
            raise Http404("No such page")
        return match.func(request, *match.args, **match.kwargs)


english_worded = re_path(r"^alerts/", EnglishWordedAlertsView.as_view(), name="english-worded")
