from django.urls import path

from . import views

app_name = "datasystem"

urlpatterns = [path("", views.development, name="index")]
