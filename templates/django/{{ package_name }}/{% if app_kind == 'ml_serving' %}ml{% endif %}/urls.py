from django.urls import path

from . import views

app_name = "ml"

urlpatterns = [
    path("model", views.ModelView.as_view(), name="model"),
    path("predict", views.PredictView.as_view(), name="predict"),
]
