from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.home, name="home"),
    path("kommun/<int:municipality_id>/", views.municipality, name="municipality"),
    path("enhet/<int:unit_id>/", views.unit, name="unit"),
    path("kommun/<int:municipality_id>/ny-pilot/", views.pilot_new, name="pilot_new"),
    path("pilot/<int:pilot_id>/", views.pilot, name="pilot"),
    path("pilot/<int:pilot_id>/andra/", views.pilot_edit, name="pilot_edit"),
    path("pilot/<int:pilot_id>/avsluta/", views.pilot_end, name="pilot_end"),
]
