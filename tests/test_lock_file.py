"""requirements.lock must pin, with hashes, everything pyproject.toml asks for (make install uses only the lock)."""

import re
import tomllib
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"{requirement!r} in pyproject.toml is not pinned with =="
        pins[normalise(match[1])] = match[2]
    return pins


def lock_entries() -> dict[str, tuple[str, int]]:
    """Package -> (version, number of hashes)."""
    entries: dict[str, tuple[str, int]] = {}
    current = None
    for line in (PROJECT_DIR / "requirements.lock").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("--hash=sha256:"):
            assert current, f"hash without a package: {line}"
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
            continue
        match = PIN.match(stripped)
        assert match, f"requirements.lock line is not an exact pin: {line}"
        current = normalise(match[1])
        entries[current] = (match[2], 0)
    return entries


def test_the_lock_pins_every_direct_dependency_at_the_version_pyproject_asks_for():
    entries = lock_entries()
    for name, version in pyproject_pins().items():
        assert name in entries, f"{name} is missing from requirements.lock: run `make lock`"
        assert entries[name][0] == version, f"{name}: pyproject.toml {version}, requirements.lock {entries[name][0]}"


def test_every_locked_package_has_a_hash_so_pip_can_require_them():
    entries = lock_entries()
    assert len(entries) > len(pyproject_pins()), "the lock must hold the transitive dependencies too"
    assert [name for name, (_, hashes) in entries.items() if hashes == 0] == []
