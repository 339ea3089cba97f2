"""Writes for consent and lawful sharing, one module per kind of record."""
