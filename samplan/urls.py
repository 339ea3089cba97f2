from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("", include("core.urls")),
    path("konto/", include("accounts.urls")),
    path("barn/", include("people.urls")),
    path("namngiven-person/", include("namedperson.urls")),
    path("logg/", include("audit.urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
