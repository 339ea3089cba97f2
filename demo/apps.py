from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The fictitious demo municipality: `manage.py demo_data` and the generator behind it (no models)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
    verbose_name = "Demodata"
