"""What an installation gets: the wheel carries every file the server reads, the locks pin what it imports.

A wheel built from the tree used to lack policies/signing/*.csv and policies/deadlines/*.csv (the
package-data pattern matched policies/ itself only), so a county created from an installed wheel
had no signing table; `make run` installed pytest, py-spy and the other test tools; `cross_web`,
imported by server.py, was declared nowhere; and the editable install printed a deprecation banner.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import os
import re
import subprocess
import sys
import venv
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# What the wheel ships (pyproject.toml: [tool.hatch.build.targets.wheel] only-include).
SHIPPED = ["server.py", "config.py", "schema", "resolvers", "policies", "db", "domain", "services", "cli",
           "server_assets"]
# pip as a fresh machine has it: no index (nothing may be fetched), none of this machine's settings.
# hatchling and what it imports.
BUILD_BACKEND = ["hatchling", "packaging", "pathspec", "pluggy", "trove_classifiers"]
OFFLINE_PIP = {**{k: v for k, v in os.environ.items() if not k.startswith("PIP_")},
               "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def in_the_tree() -> set[str]:
    """The shipped folders' files that git keeps or would keep (ignored files — caches, databases — are not)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *SHIPPED],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.splitlines()
    return {path for path in listed if (ROOT / path).is_file()}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--wheel-dir", str(out), str(ROOT)], env=OFFLINE_PIP, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    [path] = out.glob("qianfa-*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def runtime_requirements(wheel: zipfile.ZipFile) -> list[Requirement]:
    [metadata] = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    lines = wheel.read(metadata).decode().splitlines()
    return [Requirement(line.removeprefix("Requires-Dist: ")) for line in lines if line.startswith("Requires-Dist: ")]


def pins(lock: str) -> dict[str, str]:
    pinned = {}
    for line in (ROOT / lock).read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"{lock}: {line!r} is not pinned with =="
            pinned[canonicalize_name(name)] = version
    return pinned


def test_the_wheel_carries_the_signing_and_deadline_tables_of_every_rule_set_and_the_graphiql_files(wheel):
    names = set(wheel.namelist())
    tables = sorted(str(path.relative_to(ROOT)) for folder in ("policies/signing", "policies/deadlines")
                    for path in (ROOT / folder).glob("*.csv"))
    assert "policies/signing/yanjin-2023.csv" in tables and "policies/deadlines/lulong-2018.csv" in tables
    assert set(tables) <= names
    assert {"server_assets/graphiql.html", "server_assets/graphiql/graphiql.min.js",
            "server_assets/graphiql/graphiql.min.css", "server_assets/graphiql/react.production.min.js",
            "server_assets/graphiql/react-dom.production.min.js", "server_assets/graphiql/qianfa-graphiql.js",
            "server_assets/licenses/graphiql-3.8.3.LICENSE", "server_assets/SHA256SUMS"} <= names


def test_every_file_of_the_shipped_folders_is_in_the_wheel_and_nothing_ignored_is(wheel):
    names = {name for name in wheel.namelist() if ".dist-info/" not in name}
    assert in_the_tree() - names == set()
    assert [name for name in names if "__pycache__" in name or name.endswith((".pyc", ".db"))] == []


def test_every_library_the_code_imports_is_a_declared_runtime_dependency(wheel):
    declared = {canonicalize_name(requirement.name) for requirement in runtime_requirements(wheel)
                if requirement.marker is None}
    ours = {path.split("/")[0].removesuffix(".py") for path in in_the_tree()}
    distributions = packages_distributions()
    undeclared = {}
    for path in sorted(in_the_tree()):
        if not path.endswith(".py"):
            continue
        for node in ast.walk(ast.parse((ROOT / path).read_text(), path)):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in ours or top in sys.stdlib_module_names:
                    continue
                for distribution in distributions.get(top, [f"<no installed distribution has {top}>"]):
                    if canonicalize_name(distribution) not in declared:
                        undeclared.setdefault(distribution, path)
    assert undeclared == {}  # distribution: the first file importing it


def test_the_runtime_lock_pins_every_runtime_dependency_and_the_dev_lock_the_test_tools_too(wheel):
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    requirements = runtime_requirements(wheel)
    for requirement in requirements:
        lock = dev if requirement.marker is not None else runtime  # extra == "dev"
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{requirement.name} is not in the lock: run `make lock`"
        assert requirement.specifier.contains(lock[name], prereleases=True), (requirement, lock[name])
    assert "hatchling" in runtime  # builds the editable install without fetching anything
    assert "pytest" not in runtime and "py-spy" not in runtime and "playwright" not in runtime
    assert {name: dev[name] for name in runtime} == runtime  # one version of each, run or test


def test_make_run_installs_the_runtime_lock_only():
    planned = subprocess.run(["make", "--dry-run", "--always-make", "run"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    assert "-r requirements.lock" in planned and "--no-deps --no-build-isolation -e ." in planned
    assert "requirements-dev.lock" not in planned and "[dev]" not in planned


def test_an_editable_install_prints_no_banner_and_puts_this_tree_on_the_path(tmp_path):
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = str(target / "bin" / "python")
    # The build backend as pinned in the locks, lent from the suite's environment (and nothing else of it).
    tools = tmp_path / "build-tools"
    tools.mkdir()
    for module in BUILD_BACKEND:
        source = Path(importlib.import_module(module).__file__).parent
        (tools / source.name).symlink_to(source)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "build-tools.pth").write_text(f"{tools}\n")
    installed = subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                                "-e", str(ROOT)], env=OFFLINE_PIP, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout + installed.stderr == ""  # no deprecation (or any other) banner
    where = subprocess.run([python, "-c", "import server_assets; print(server_assets.HERE.parent)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where) == ROOT


def test_the_vendored_graphiql_files_are_the_pinned_releases_byte_for_byte():
    sums = (ROOT / "server_assets" / "SHA256SUMS").read_text().splitlines()
    checked = {}
    for line in sums:
        digest, name = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line).groups()
        checked[name] = hashlib.sha256((ROOT / "server_assets" / name).read_bytes()).hexdigest() == digest
    assert checked == {"graphiql/graphiql.min.js": True, "graphiql/graphiql.min.css": True,
                       "graphiql/react.production.min.js": True, "graphiql/react-dom.production.min.js": True}
