"""Benchmark settings: the production settings, plus the reference view's URL.

Everything else (middleware, sessions, templates, whitenoise, DEBUG off) is exactly what a
deployment runs, so the reference view measures the local limit of the same stack.
"""

from redbridge_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
