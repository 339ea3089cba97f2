from __future__ import annotations

from django.urls import path

from namedperson import views

app_name = "namedperson"
urlpatterns = [
    path("mina-barn/", views.my_children, name="my_children"),
    path("overlamningar/", views.handovers, name="handovers"),
    path("overlamningar/<int:proposal_id>/ta-emot/", views.accept, name="accept"),
    path("overlamningar/<int:proposal_id>/sammanfattning/", views.summary, name="summary"),
    path("saknas/", views.without, name="without"),
]
