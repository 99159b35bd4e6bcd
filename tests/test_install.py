"""A fresh install gets the versions the suite passed with: constraints.txt pins every package the
app and its tests install, the README's two Quick-start lines use it, and the environment running
this suite is the one it describes (refresh it as the README says when you upgrade)."""

from __future__ import annotations

import importlib.metadata as metadata
import re
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]


def pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            found[canonicalize_name(name)] = version
    return found


def installed_by_the_readme() -> list[Requirement]:
    """The app's requirements and its ``test`` extra's: what the README's two lines install (the
    ``mutation`` extra is installed by hand for benchmarks/mutation.py, and pinned there)."""
    requirements = [Requirement(r) for r in metadata.requires("hall") or []]
    return [r for r in requirements if r.marker is None or r.marker.evaluate({"extra": "test"})]


def test_every_requirement_of_the_app_and_its_tests_is_pinned() -> None:
    requirements = installed_by_the_readme()
    names = {canonicalize_name(r.name) for r in requirements}
    assert names - set(pins()) == set(), "refresh constraints.txt (README, Quick start)"
    for requirement in requirements:  # the pins satisfy pyproject.toml's ranges
        assert requirement.specifier.contains(pins()[canonicalize_name(requirement.name)])


def test_the_suite_runs_on_the_pinned_versions() -> None:
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    differ = {name: (version, installed.get(name)) for name, version in pins().items()
              if installed.get(name) != version}
    assert not differ, (f"installed versions differ from constraints.txt (pinned, installed): "
                        f"{differ}; reinstall with -c constraints.txt or refresh it (README)")


def test_the_quick_start_lines_install_with_the_constraints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.findall(r"```(?:sh|bash|shell|console)?\n(.*?)```", readme, re.S)[0]
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2
    assert all("pip install -q -c constraints.txt -e " in line for line in lines)
