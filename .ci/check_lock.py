"""Fail when a lock file no longer matches the requirements it was compiled from.

    python .ci/check_lock.py [DIRECTORY]

Offline on purpose (CI must not depend on PyPI answering): pip-compile records, beside every
pinned package, which input file asked for it ("# via -r requirements.in"). The lock is current
when, for each input file, the packages it names are exactly the packages the lock says it asked
for, each pinned at a version the input allows, and every pin carries hashes. A package added to
or removed from an input file, a version changed on either side, or a line added to a lock by hand
is reported with the fix: run `make lock` and commit the result.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

# Each lock and the input it is compiled from (the Makefile's `lock` target).
LOCKS = {"requirements.txt": "requirements.in", "requirements-dev.txt": "requirements-dev.in"}

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)")


def read_input(path: Path, seen: set[Path] | None = None) -> dict[str, dict[str, Requirement]]:
    """{input file name: {package: requirement}} for an input file and the files it includes
    with -r (a -c constraint file adds no requirements)."""
    seen = seen if seen is not None else set()
    if path in seen:
        return {}
    seen.add(path)
    found: dict[str, dict[str, Requirement]] = {path.name: {}}
    for number, raw in enumerate(path.read_text().splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            found.update(read_input(path.parent / line.split(None, 1)[1], seen))
            continue
        if line.startswith("-"):
            continue  # -c constraints and pip options
        try:
            requirement = Requirement(line)
        except InvalidRequirement as error:
            raise SystemExit(f"{path.name}:{number}: not a requirement: {error}") from None
        found[path.name][canonicalize_name(requirement.name)] = requirement
    return found


def read_lock(path: Path) -> dict[str, dict]:
    """{package: {"version", "hashes", "via": set of input file names}} from a pip-compile lock."""
    pins: dict[str, dict] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        match = PIN.match(raw)
        if match:
            current = {"version": match["version"], "hashes": 0, "via": set(), "line": raw}
            pins[canonicalize_name(match["name"])] = current
            current["hashes"] += raw.count("--hash=")
        elif current is not None and line.startswith("--hash="):
            current["hashes"] += 1
        elif current is not None and line.startswith("#"):
            for source in re.findall(r"-r\s+(\S+)", line):
                current["via"].add(Path(source).name)
        elif line and not line.startswith(("#", "-")):
            pins[line] = {"version": "", "hashes": 0, "via": set(), "line": raw}
            current = None
    return pins


def problems(directory: Path) -> list[str]:
    found: list[str] = []
    locked_versions: dict[str, tuple[str, str]] = {}
    for lock_name, input_name in LOCKS.items():
        lock_path, input_path = directory / lock_name, directory / input_name
        if not input_path.is_file() or not lock_path.is_file():
            found.append(f"{input_name} or {lock_name} is missing.")
            continue
        wanted = read_input(input_path)
        pins = read_lock(lock_path)
        for name, pin in pins.items():
            if not pin["version"]:
                found.append(f"{lock_name}: {pin['line'].strip()!r} is not a pinned package.")
                continue
            if not pin["hashes"] and not pin["via"]:
                found.append(
                    f"{lock_name}: {name}=={pin['version']} was added by hand: move it to "
                    f"{input_name}."
                )
                continue
            if not pin["hashes"]:
                found.append(f"{lock_name}: {name}=={pin['version']} has no hashes.")
            earlier = locked_versions.get(name)
            if earlier and earlier[0] != pin["version"]:
                found.append(
                    f"{lock_name} pins {name}=={pin['version']} but {earlier[1]} pins "
                    f"{name}=={earlier[0]}."
                )
            locked_versions.setdefault(name, (pin["version"], lock_name))
            for source in pin["via"]:
                if source in wanted and name not in wanted[source]:
                    found.append(
                        f"{lock_name}: {name} is locked for {source}, which no longer asks for it."
                    )
        for source, requirements in wanted.items():
            for name, requirement in requirements.items():
                pin = pins.get(name)
                if pin is None or not pin["version"]:
                    found.append(
                        f"{source} asks for {requirement} but {lock_name} does not lock it."
                    )
                elif not requirement.specifier.contains(pin["version"], prereleases=True):
                    found.append(
                        f"{source} asks for {requirement} but {lock_name} locks "
                        f"{name}=={pin['version']}."
                    )
                elif source not in pin["via"]:
                    found.append(f"{lock_name} does not record {name} as asked for by {source}.")
    return found


def main(argv: list[str]) -> int:
    directory = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    found = problems(directory)
    if found:
        print("The dependency locks are out of date:", file=sys.stderr)
        for problem in found:
            print(f"  - {problem}", file=sys.stderr)
        print("Run `make lock` and commit the .in and .txt files together.", file=sys.stderr)
        return 1
    print("The dependency locks match requirements.in and requirements-dev.in.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
