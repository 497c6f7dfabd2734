"""Every installed package is locked with hashes, and the lock matches what we ask for: a
package added to requirements.in without `make lock`, or a line added to a lock by hand, fails
(`.ci/check_lock.py`, which CI runs before installing anything)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = ("requirements.in", "requirements-dev.in", "requirements.txt", "requirements-dev.txt")


def check(directory: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "check_lock.py"), str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def copy(tmp_path):
    for name in FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + line + "\n")


def test_the_committed_locks_match_their_inputs():
    result = check(ROOT)
    assert result.returncode == 0, result.stderr


def test_every_locked_package_has_hashes_so_pip_can_require_them():
    for lock in ("requirements.txt", "requirements-dev.txt"):
        text = (ROOT / lock).read_text()
        pins = [line for line in text.splitlines() if "==" in line and not line.startswith(" ")]
        assert len(pins) > 20
        assert text.count("--hash=sha256:") >= len(pins)
    assert "--require-hashes" in (ROOT / "Makefile").read_text()


def test_a_package_added_to_a_lock_by_hand_is_caught(copy):
    append(copy / "requirements.txt", "django-allauth==65.13.1")
    result = check(copy)
    assert result.returncode == 1
    assert "django-allauth==65.13.1 was added by hand: move it to requirements.in" in result.stderr
    assert "make lock" in result.stderr


def test_a_package_asked_for_but_not_locked_is_caught(copy):
    append(copy / "requirements.in", "html5lib==1.1")
    result = check(copy)
    assert result.returncode == 1
    assert "requirements.in asks for html5lib==1.1 but requirements.txt does not lock it" in (
        result.stderr
    )


def test_a_version_changed_in_the_input_only_is_caught(copy):
    path = copy / "requirements.in"
    path.write_text(path.read_text().replace("celery==5.7.0", "celery==5.6.0"))
    result = check(copy)
    assert result.returncode == 1
    assert "asks for celery==5.6.0 but requirements.txt locks celery==5.7.0" in result.stderr


def test_a_package_dropped_from_the_input_is_caught(copy):
    path = copy / "requirements-dev.in"
    path.write_text(path.read_text().replace("hypothesis==6.170.15\n", ""))
    result = check(copy)
    assert result.returncode == 1
    assert "hypothesis is locked for requirements-dev.in, which no longer asks for it" in (
        result.stderr
    )
