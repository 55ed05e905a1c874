from django.urls import path

from . import views

# Included at the top of config/urls.py, without a resolver of their own (so without a
# namespace): the liveness probe, the most frequent request of all, then resolves in one
# step, and every other request passes these two fixed paths with a string comparison each.
urlpatterns = [
    path("api/health", views.liveness, name="health-live"),
    path("api/health/ready", views.ReadinessView.as_view(), name="health-ready"),
]
