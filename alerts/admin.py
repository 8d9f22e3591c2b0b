from django.contrib import admin

from alerts.models import Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "language", "frequency", "created_at", "confirmed_at"]
