from django.urls import path

from core import health, views

app_name = "core"
urlpatterns: list = [
    path("", views.home, name="home"),
    path("mitt-arbete/<slug:kind>/", views.tasks, name="tasks"),
    path("halsa/inloggad/", health.whoami, name="whoami"),
]
