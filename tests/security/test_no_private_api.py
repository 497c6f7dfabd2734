"""Application code, and the tests, use Django's and its libraries' public APIs only: no
private attribute of another object is read or set (an underscore name belongs to the code that
defines it). This is what keeps sign-in, sessions, CSRF and two-factor checks on the framework's
own tested paths, and upgrades safe; in the tests, it keeps them testing what runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = [p for p in ROOT.iterdir() if (p / "apps.py").is_file() or p.name in ("bench", "tests")]
# This file spells out the private names it looks for.
THIS_FILE = Path(__file__).resolve()

# `x._name` where x is not the object's own `self`/`cls` (Model._meta is Django's documented
# Options API; Model._state.adding and ._state.db are documented too).
FOREIGN_PRIVATE = re.compile(
    r"(?<![\w.])(?!self\b|cls\b|super\(\)\.)([A-Za-z_][\w]*)\._[A-Za-z]\w*"
)
STATE_PRIVATE = re.compile(r"\._state\.(?!adding\b|db\b)\w+")
# Private names of Django and django-otp that a subclass could reach through `self`.
KNOWN_PRIVATE = re.compile(
    r"_cached_user|_verify_user_sync|_device_from_persistent_id|\brun_on_commit\b|"
    r"CSRF_COOKIE_NEEDS_UPDATE|CSRF_ALLOWED_CHARS|_mask_cipher|\b_messages\b|_create_user\b"
)
ALLOWED = {"_meta", "_state"}


def application_files():
    for folder in APP_DIRS:
        for path in folder.rglob("*.py"):
            if not {"migrations", "node_modules"} & set(path.parts) and path != THIS_FILE:
                yield path


def findings() -> list[str]:
    found = []
    for path in application_files():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            hits = [
                m.group(0)
                for m in FOREIGN_PRIVATE.finditer(code)
                if m.group(0).split(".", 1)[1] not in ALLOWED
            ]
            hits += STATE_PRIVATE.findall(code) + KNOWN_PRIVATE.findall(code)
            if hits:
                found.append(f"{path.relative_to(ROOT)}:{number}: {', '.join(hits)}")
    return found


def test_no_code_reads_a_private_attribute():
    assert findings() == []


def test_the_check_finds_what_it_is_for(tmp_path, monkeypatch):
    """The patterns catch the private reads the portal once made (so the test above can fail)."""
    sample = tmp_path / "sample" / "apps.py"
    sample.parent.mkdir()
    sample.write_text(
        "request._cached_user = user\n"
        "self.otp._verify_user_sync(request, user)\n"
        "section = self._state.fields_cache.get('section')\n"
        "for callback in connection.run_on_commit: pass\n"
        "ok = self._own_helper() and obj._meta.label and obj._state.adding\n"
    )
    monkeypatch.setitem(globals(), "APP_DIRS", [sample.parent])
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    lines = findings()
    assert [line.split(":")[1] for line in lines] == ["1", "2", "3", "4"]
