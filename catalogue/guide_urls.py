from __future__ import annotations

from django.urls import path

from catalogue.views import guide

app_name = "guide"
urlpatterns = [path("", guide.guide, name="home")]
