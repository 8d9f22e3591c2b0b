"""Thin views over ``alerts.subscriptions``. Pages reached through a signed link are private
(never cached, never indexed), and a link changes nothing by being opened: a button does."""

import json
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from alerts import subscriptions, tokens
from alerts.forms import ChoicesForm, SignupForm
from newsroom.middleware import client_ip
from pagecache.middleware import page_cache_exempt


def private_page(view):
    """Never stored or indexed: the page belongs to whoever holds the link."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return page_cache_exempt(never_cache(wrapped))


def invalid_link(request):
    return render(request, "alerts/invalid_link.html", status=404)


@method_decorator(csrf_exempt, name="dispatch")
class SignupView(View):
    """The form posts here from any page. It carries no CSRF token, so that the pages showing
    it can be cached and shared: a forged sign-up can only send a confirmation email, which is
    what anyone could ask for directly (and both are rate-limited)."""

    def get(self, request):
        form = SignupForm(initial={"language": get_language(), "source": request.path})
        return render(request, "alerts/signup.html", {"form": form})

    def post(self, request):
        form = SignupForm(request.POST)
        if not form.is_valid():
            # Not counted: a reader who mistyped is not locked out by their corrections.
            return render(request, "alerts/signup.html", {"form": form}, status=400)
        per_client = settings.ALERTS_SIGNUPS_PER_CLIENT_PER_HOUR
        if not subscriptions.within_rate(f"client:{client_ip(request)}", per_hour=per_client):
            return render(request, "alerts/too_many.html", status=429)
        email = subscriptions.normalise_email(form.cleaned_data["email"])
        # Over its limit, an address is quietly skipped: the answer is the same either way.
        per_address = settings.ALERTS_SIGNUPS_PER_HOUR
        if subscriptions.within_rate(f"email:{email}", per_hour=per_address):
            subscriptions.sign_up(
                email=email, choices=form.choices(), source=form.cleaned_data["source"]
            )
        return redirect(reverse("alerts:check-inbox"), permanent=False)


@require_safe
def check_inbox(request):
    return render(request, "alerts/check_inbox.html")


@method_decorator(private_page, name="dispatch")
class ConfirmView(View):
    def get(self, request, token):
        if tokens.from_confirmation_token(token) is None:
            return invalid_link(request)
        return render(request, "alerts/confirm.html")

    def post(self, request, token):
        found = tokens.from_confirmation_token(token)
        if found is None:
            return invalid_link(request)
        subscriber, consent_id = found
        subscriptions.confirm(subscriber=subscriber, consent_id=consent_id)
        manage_url = reverse("alerts:manage", kwargs={"token": tokens.manage_token(subscriber)})
        return render(
            request, "alerts/confirmed.html", {"subscriber": subscriber, "manage_url": manage_url}
        )


@method_decorator(private_page, name="dispatch")
class ManageView(View):
    def get(self, request, token):
        subscriber = tokens.from_manage_token(token)
        if subscriber is None:
            return invalid_link(request)
        form = ChoicesForm(initial=ChoicesForm.initial_for(subscriber))
        return self.page(request, token, subscriber, form)

    def post(self, request, token):
        subscriber = tokens.from_manage_token(token)
        if subscriber is None:
            return invalid_link(request)
        form = ChoicesForm(request.POST)
        if not form.is_valid():
            return self.page(request, token, subscriber, form, status=400)
        subscriptions.change(subscriber=subscriber, choices=form.choices(), source=request.path)
        return redirect(reverse("alerts:manage", kwargs={"token": token}) + "?saved=1")

    def page(self, request, token, subscriber, form, status=200):
        context = {
            "subscriber": subscriber,
            "form": form,
            "token": token,
            "saved": request.GET.get("saved") == "1" and request.method == "GET",
        }
        return render(request, "alerts/manage.html", context, status=status)


@method_decorator([csrf_exempt, private_page], name="dispatch")
class UnsubscribeView(View):
    """The address in ``List-Unsubscribe``. A mail program POSTs ``List-Unsubscribe=One-Click``
    to it (RFC 8058, so no CSRF token); a person who opens it gets a page with one button,
    which posts the same. Opening it changes nothing."""

    def get(self, request, token):
        subscriber = tokens.from_manage_token(token)
        if subscriber is None:
            return invalid_link(request)
        return render(request, "alerts/unsubscribe.html", {"subscriber": subscriber})

    def post(self, request, token):
        subscriber = tokens.from_manage_token(token)
        if subscriber is None:
            return invalid_link(request)
        subscriptions.unsubscribe(subscriber=subscriber)
        manage_url = reverse("alerts:manage", kwargs={"token": token})
        return render(
            request,
            "alerts/unsubscribed.html",
            {"subscriber": subscriber, "manage_url": manage_url},
        )


@private_page
@require_safe
def download(request, token):
    subscriber = tokens.from_manage_token(token)
    if subscriber is None:
        return invalid_link(request)
    body = json.dumps(subscriptions.export(subscriber), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="email-alerts.json"'
    return response


@method_decorator(private_page, name="dispatch")
class EraseView(View):
    def get(self, request, token):
        subscriber = tokens.from_manage_token(token)
        if subscriber is None:
            return invalid_link(request)
        return render(request, "alerts/erase.html", {"subscriber": subscriber})

    def post(self, request, token):
        subscriber = tokens.from_manage_token(token)
        if subscriber is None:
            return invalid_link(request)
        subscriptions.erase(subscriber=subscriber)
        return render(request, "alerts/erased.html")
