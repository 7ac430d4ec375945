"""Tests that need a missing part skip locally with a reason; in CI nothing may skip."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("ONDECK_CHROMIUM", "/usr/bin/chromium")


def need(available: bool, reason: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI requires this part, but it is missing: {reason}")
    pytest.skip(reason)


def have_postgres() -> bool:
    return all(shutil.which(tool) for tool in ("initdb", "pg_ctl", "postgres"))


def have_chromium() -> bool:
    return os.path.exists(CHROMIUM)
