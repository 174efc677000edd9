"""The lock file matches pyproject.toml, the package ships every app, tasks live in tasks.py.

A dependency added to pyproject.toml without `make lock` fails here, not in the image build.
"""

import re
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from django.apps import apps
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from permis.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)")


def pins(lock_file: str) -> dict[str, tuple[str, int]]:
    """{canonical name: (version, number of hashes)} of a `make lock` file."""
    found: dict[str, tuple[str, int]] = {}
    name = None
    for line in (ROOT / lock_file).read_text().splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            found[name] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif line and not line.startswith(" "):
            name = None
    return found


def declared(*groups: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    requirements = [Requirement(r) for r in project["dependencies"]]
    for group in groups:
        requirements += [Requirement(r) for r in project["optional-dependencies"][group]]
    return requirements


def portal_packages() -> set[str]:
    """The top-level packages of the installed apps that are this repository's own."""
    tops = {a.name.split(".")[0]: Path(a.path) for a in apps.get_app_configs()}
    return {top for top, path in tops.items() if path.is_relative_to(ROOT / top)}


@pytest.mark.parametrize(
    ("lock_file", "groups"), [("requirements.txt", ()), ("requirements-dev.txt", ("dev",))]
)
def test_every_declared_dependency_is_pinned_with_hashes(lock_file, groups):
    locked = pins(lock_file)
    for requirement in declared(*groups):
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in {lock_file}: run `make lock`"
        version, hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock_file} pins {name}=={version}, pyproject.toml wants {requirement}: "
            "run `make lock`"
        )
        assert hashes, f"{name} has no hash in {lock_file}"


def test_the_dev_lock_keeps_the_runtime_pins():
    runtime, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {n: v for n, (v, _) in runtime.items()} == {n: dev[n][0] for n in runtime if n in dev}
    assert runtime.keys() <= dev.keys()


def test_pypdf_is_past_its_denial_of_service_advisories():
    # Uploads are read by pikepdf (qpdf); pypdf only reads the PDFs the tests check.
    assert "pypdf" not in pins("requirements.txt")
    version = pins("requirements-dev.txt")["pypdf"][0]
    assert tuple(int(p) for p in version.split(".")[:3]) >= (7, 1, 1)


def test_the_package_includes_every_app_of_the_portal():
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    local = portal_packages()
    assert "auto_ecoles" in local
    for package in local:
        assert any(fnmatch(package, p) for p in patterns), f"{package} is not packaged"


def test_every_task_of_the_portal_is_defined_in_a_tasks_module():
    celery_app.loader.import_default_modules()
    local = portal_packages()
    ours = [
        task
        for name, task in celery_app.tasks.items()
        if not name.startswith("celery.") and task.__module__.split(".")[0] in local
    ]
    assert "auto_ecoles.tasks.envoyer_invitation" in {t.name for t in ours}
    for task in ours:
        assert task.__module__.endswith(".tasks"), f"{task.name} is defined in {task.__module__}"
