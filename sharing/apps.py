from django.apps import AppConfig


class SharingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sharing"

    def ready(self) -> None:
        from sharing import access_relation

        access_relation.connect()  # the precomputed access relation follows every write to its sources
