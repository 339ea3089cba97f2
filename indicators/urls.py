from django.urls import path

from indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("<int:indicator_id>/", views.indicator_detail, name="detail"),
    path("<int:indicator_id>/rapportera/", views.value_enter, name="enter"),
    path("importera/", views.import_file, name="import"),
    path("omgangar/", views.rounds, name="rounds"),
    path("omgangar/<int:round_id>/", views.round_detail, name="round"),
    path("kalkyl/", views.calculator_page, name="calculator"),
    path("kalkyl.<str:fmt>", views.calculator_export, name="calculator_export"),
]
