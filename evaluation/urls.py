from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.home, name="home"),
    path("kommun/<int:municipality_id>/", views.municipality, name="municipality"),
    path("enhet/<int:unit_id>/", views.unit, name="unit"),
    path("pilot/<int:pilot_id>/", views.pilot, name="pilot"),
]
