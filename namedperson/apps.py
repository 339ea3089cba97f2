from django.apps import AppConfig


class NamedpersonConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "namedperson"
