"""Fixtures of the wellbeing tests: the API tests' bearer headers."""

from api.tests.conftest import bearer  # noqa: F401 - a fixture, used by name
