from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.SignupView.as_view(), name="signup"),
    path("check-your-inbox/", views.check_inbox, name="check-inbox"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("manage/<str:token>/", views.ManageView.as_view(), name="manage"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("data/<str:token>/", views.download, name="download"),
    path("erase/<str:token>/", views.EraseView.as_view(), name="erase"),
]
