from django.urls import path

from . import views

app_name = "health"

urlpatterns = [
    path("health", views.LivenessView.as_view(), name="live"),
    path("health/ready", views.ReadinessView.as_view(), name="ready"),
]
