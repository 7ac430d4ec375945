"""Checks `make lint` runs beyond what ruff, mypy and import-linter know by themselves."""
