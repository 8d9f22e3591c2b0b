from django.apps import AppConfig


class ItemsConfig(AppConfig):
    name = "bench.plain.items"
    label = "items"
