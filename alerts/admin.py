"""Staff's view of the alerts: subscribers and how many follow each list; for each release, how
many emails were sent, delivered, bounced and failed; a preview of the email and a test sent to
oneself."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from alerts import rendering
from alerts.models import (
    Consent,
    Delivery,
    DeliveryState,
    Frequency,
    NoticeKind,
    ReleaseAlerts,
    Subscriber,
    stored_types,
)
from alerts.sending import Sender
from releases.models import Campaign, Organisation, Release, ReleaseType, Topic

PERM_PREVIEW = "releases.preview_release"


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    can_delete = False
    fields = ["given_at", "source", "choices", "confirmed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class SubscriberAdminForm(forms.ModelForm):
    """The chosen release types as boxes to tick, stored in the form ``interested_in``
    matches."""

    release_types = forms.MultipleChoiceField(
        label=capfirst(_("release types")),
        choices=ReleaseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Subscriber
        fields = ["release_types"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["release_types"] = self.instance.chosen_types()

    def clean_release_types(self) -> str:
        return stored_types(self.cleaned_data["release_types"])


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    form = SubscriberAdminForm
    list_display = ["email", "language", "frequency", "status", "created_at", "confirmed_at"]
    list_filter = ["language", "frequency", "everything", "topics", "campaigns"]
    search_fields = ["email"]
    date_hierarchy = "created_at"
    fields = [
        "email",
        "language",
        "frequency",
        "everything",
        "release_types",
        "topics",
        "campaigns",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
        "bounced_at",
    ]
    readonly_fields = ["email", "created_at", "confirmed_at"]
    filter_horizontal = ["topics", "campaigns"]
    inlines = [ConsentInline]

    @admin.display(description=_("status"))
    def status(self, subscriber):
        if subscriber.bounced_at:
            return gettext("Bounced")
        if subscriber.unsubscribed_at:
            return gettext("Unsubscribed")
        if not subscriber.confirmed_at:
            return gettext("Not confirmed")
        return gettext("Active")

    def has_add_permission(self, request):
        """Subscribers sign up themselves: only the address's owner can give the consent that
        mail to it needs (double opt-in)."""
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = (extra_context or {}) | {"list_counts": list_counts()}
        return super().changelist_view(request, extra_context)


def list_counts() -> dict:
    """How many active subscribers follow each list (one query per kind of list)."""
    active = Subscriber.objects.active()
    totals = active.aggregate(
        all=Count("pk"),
        everything=Count("pk", filter=Q(everything=True)),
        **{
            f"freq_{code}": Count("pk", filter=Q(frequency=code))
            for code, _label in Frequency.choices
        },
        **{
            f"type_{index}": Count("pk", filter=Q(release_types__contains=f",{code},"))
            for index, (code, _label) in enumerate(ReleaseType.choices)
        },
    )
    topic_counts = dict(
        Subscriber.topics.through.objects.filter(subscriber__in=active)
        .values_list("topic_id")
        .annotate(n=Count("pk"))
    )
    campaign_counts = dict(
        Subscriber.campaigns.through.objects.filter(subscriber__in=active)
        .values_list("campaign_id")
        .annotate(n=Count("pk"))
    )
    return {
        "all": totals["all"],
        "everything": totals["everything"],
        "frequencies": [(label, totals[f"freq_{code}"]) for code, label in Frequency.choices],
        "types": [
            (label, totals[f"type_{index}"])
            for index, (_code, label) in enumerate(ReleaseType.choices)
        ],
        "topics": [
            (topic.name, topic_counts[topic.pk])
            for topic in Topic.objects.filter(pk__in=topic_counts)
        ],
        "campaigns": [
            (str(campaign), campaign_counts[campaign.pk])
            for campaign in Campaign.objects.filter(pk__in=campaign_counts)
        ],
    }


def _count(**filters):
    rows = (
        Delivery.objects.filter(release=OuterRef("pk"), **filters)
        .order_by()
        .values("release")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


@admin.register(ReleaseAlerts)
class ReleaseAlertsAdmin(admin.ModelAdmin):
    """Each public release with the fate of its emails, a preview and a test to oneself."""

    list_display = [
        "headline",
        "language",
        "publish_at",
        "sent",
        "delivered",
        "bounced",
        "failed",
        "waiting",
        "preview",
    ]
    list_filter = ["language", "release_type"]
    search_fields = ["headline"]
    list_display_links = None

    def get_queryset(self, request):
        return (
            Release.objects.published(include_withdrawn=True)
            .order_by("-publish_at", "-pk")
            .annotate(
                n_sent=_count(state=DeliveryState.SENT),
                n_delivered=_count(outcome="delivered"),
                n_bounced=_count(outcome="bounced"),
                n_failed=_count(state=DeliveryState.FAILED),
                n_waiting=_count(state__in=[DeliveryState.PENDING, DeliveryState.SENDING]),
            )
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("sent"), ordering="n_sent")
    def sent(self, release):
        return release.n_sent

    @admin.display(description=_("delivered"), ordering="n_delivered")
    def delivered(self, release):
        return release.n_delivered

    @admin.display(description=_("bounced"), ordering="n_bounced")
    def bounced(self, release):
        return release.n_bounced

    @admin.display(description=_("failed"), ordering="n_failed")
    def failed(self, release):
        return release.n_failed

    @admin.display(description=_("waiting"))
    def waiting(self, release):
        return release.n_waiting

    @admin.display(description=_("email"))
    def preview(self, release):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:alerts_releasealerts_preview", args=[release.pk]),
            gettext("Preview"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="alerts_releasealerts_preview",
            ),
            path(
                "<int:pk>/send-test/",
                self.admin_site.admin_view(require_POST(self.send_test_view)),
                name="alerts_releasealerts_send_test",
            ),
            *super().get_urls(),
        ]

    def _release(self, request, pk) -> Release:
        if not request.user.has_perm(PERM_PREVIEW):
            raise PermissionDenied
        release = Release.objects.filter(pk=pk).first()
        if release is None:
            raise Http404
        return release

    def preview_view(self, request, pk):
        """The email as a subscriber in the release's language receives it (any release, public
        or not yet); ``?format=text`` for the text part. A form on top sends it to oneself."""
        release = self._release(request, pk)
        message = sample_message(release, request.user.email or "you@example.org")
        if request.GET.get("format") == "text":
            return HttpResponse(message.body, content_type="text/plain; charset=utf-8")
        html = message.alternatives[0][0]
        toolbar = format_html(
            '<form method="post" action="{}" style="max-width:600px;margin:8px auto;'
            'font-family:sans-serif">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<strong>{}</strong> {} · <a href="?format=text">{}</a> · '
            '<button type="submit">{}</button></form>',
            reverse("admin:alerts_releasealerts_send_test", args=[release.pk]),
            _csrf(request),
            gettext("Subject:"),
            message.subject,
            gettext("Text version"),
            gettext("Send a test to me"),
        )
        return HttpResponse(_with_toolbar(html, toolbar))

    def send_test_view(self, request, pk):
        release = self._release(request, pk)
        back = reverse("admin:alerts_releasealerts_preview", args=[release.pk])
        if not request.user.email:
            messages.error(request, gettext("Your account has no email address."))
            return redirect(back)
        message = sample_message(release, request.user.email)
        message.subject = gettext("[Test] %(subject)s") % {"subject": message.subject}
        sender = Sender()
        try:
            sender.send(message)
        except Exception as error:
            messages.error(
                request, gettext("The test could not be sent: %(error)s") % {"error": error}
            )
        else:
            messages.success(
                request, gettext("A test was sent to %(email)s.") % {"email": request.user.email}
            )
        finally:
            sender.close()
        return redirect(reverse("admin:alerts_releasealerts_changelist"))


def _csrf(request) -> str:
    from django.middleware.csrf import get_token

    return get_token(request)


def _with_toolbar(html: str, toolbar: str) -> str:
    head, _sep, rest = html.partition("<body")
    tag_end = rest.index(">") + 1
    return f"{head}<body{rest[:tag_end]}{toolbar}{rest[tag_end:]}"


def sample_message(release: Release, address: str):
    """The alert for ``release`` as a subscriber to everything in its language gets it; the
    links in it lead nowhere (the subscriber is not saved)."""
    subscriber = Subscriber(email=address, language=release.language, everything=True)
    delivery = Delivery(
        subscriber=subscriber,
        release=release,
        translation_group=release.translation_group,
        kind=NoticeKind.NEW,
    )
    return rendering.alert_message(delivery, Organisation.current(), message_id=None)
