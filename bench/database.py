"""Bench databases: created in one throwaway cluster, schema from the migrations."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import sys
import tempfile

import psycopg


def create(cluster_url: str, name: str) -> str:
    """Create database `name` and return its SQLAlchemy URL."""
    with psycopg.connect(plain(cluster_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return cluster_url.rsplit("/", 1)[0] + "/" + name


def plain(url: str) -> str:
    """The libpq form of a SQLAlchemy URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def migrate(url: str) -> None:
    """Create the schema the way a deployment does: `flask db upgrade`."""
    env = app_environment(url)
    flask = os.path.join(os.path.dirname(sys.executable), "flask")
    subprocess.run([flask, "db", "upgrade"], env=env, check=True, capture_output=True)


def app_environment(url: str) -> dict[str, str]:
    """Production settings for the app under test, on plain http over loopback."""
    return {
        **os.environ,
        "FLASK_APP": "webapp",
        "DATABASE_URL": url,
        "ONDECK_ENV": "production",
        "SECRET_KEY": "bench-secret-key-not-for-production-use",
        "SESSION_COOKIE_SECURE": "false",
        "ONDECK_INSTANCE_PATH": instance_path(),
    }


@functools.cache
def instance_path() -> str:
    """One throwaway instance folder for every app of the run, removed at exit."""
    path = tempfile.mkdtemp(prefix="ondeck-bench-instance-")
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def version(url: str) -> str:
    with psycopg.connect(plain(url)) as conn:
        return conn.execute("SHOW server_version").fetchone()[0]
