from django.urls import path  # noqa: F401

app_name = "namedperson"
urlpatterns: list = []
