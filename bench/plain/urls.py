from django.urls import path

from bench.plain.items import views

urlpatterns = [
    path("hello/", views.hello),
    path("items/", views.ItemList.as_view(), name="item-list"),
    path("items/<int:pk>/", views.ItemDetail.as_view(), name="item-detail"),
    path("feed/", views.LatestItems(), name="item-feed"),
]
