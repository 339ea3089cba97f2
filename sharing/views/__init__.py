"""Staff pages for consent and lawful sharing, one module per feature."""
