"""Running the portal's Python in a fresh interpreter. Django reads its settings once per
process, so a test of the settings, or of a worker killed mid-task, starts its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]


def environment(*, without: Iterable[str] = (), **values: str) -> dict[str, str]:
    """This process's environment less the variables named in `without` (a name ending in "_"
    drops every variable it starts), plus `values`, with the portal's settings."""
    names = {name for name in without if not name.endswith("_")}
    prefixes = tuple(name for name in without if name.endswith("_"))
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in names and not (prefixes and name.startswith(prefixes))
    }
    env.update(values, DJANGO_SETTINGS_MODULE="redbridge_portal.settings")
    return env


def run_python(arguments: list[str], *, env: dict[str, str], timeout: int = 60):
    """`python *arguments` from the project's folder, its output captured as text."""
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
