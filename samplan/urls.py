from django.contrib import admin
from django.urls import include, path

from accounts.admin import SamplanAdminSite

# Two-factor admin that signs people in through accounts:login (see accounts/admin.py).
admin.site.__class__ = SamplanAdminSite

urlpatterns = [
    path("", include("core.urls")),
    path("konto/", include("accounts.urls")),
    path("barn/", include("people.urls")),
    path("namngiven-person/", include("namedperson.urls")),
    path("logg/", include("audit.urls")),
    path("importer/", include("imports.urls")),
    path("delning/", include("sharing.urls")),
    path("familj/", include("family.urls")),
    path("valbefinnande/", include("wellbeing.urls")),
    path("planer/", include("plans.urls")),
    path("team/", include("teams.urls")),
    path("moten/", include("meetings.urls")),
    path("program/", include("programmes.urls")),
    path("indikatorer/", include("indicators.urls")),
    path("insatser/", include("catalogue.urls")),
    path("aviseringar/", include("notifications.urls")),
    path("personal/", include("directory.urls")),
    path("registrering/", include("registration.urls")),
    path("uppfoljning/", include("evaluation.urls")),
    path("var-vander-jag-mig/", include("catalogue.guide_urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
