"""One version for the whole workspace: pyprojects, exact pins, installed metadata, and the bump script."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10 leg
    tomllib = pytest.importorskip('tomli')

REPO_ROOT = Path(__file__).resolve().parent.parent
MEMBERS = {'fastio': 'gokart-fastio', 'core': 'gokart', 'cli': 'gokart-cli'}


def _project(path: Path) -> dict:
    return tomllib.loads(path.read_text())['project']


def _versions(root: Path) -> dict[str, str]:
    found = {'workspace': _project(root / 'pyproject.toml')['version']}
    for member in MEMBERS:
        found[member] = _project(root / 'packages' / member / 'pyproject.toml')['version']
    return found


def _pins(root: Path, member: str) -> list[str]:
    deps = _project(root / 'packages' / member / 'pyproject.toml')['dependencies']
    return [d.replace(' ', '') for d in deps if d.split('=')[0].strip() in MEMBERS.values()]


@pytest.fixture(scope='module')
def the_version() -> str:
    return _project(REPO_ROOT / 'pyproject.toml')['version']


def test_one_version_in_all_pyprojects(the_version):
    assert set(_versions(REPO_ROOT).values()) == {the_version}, _versions(REPO_ROOT)


def test_members_pin_each_other_exactly(the_version):
    assert _pins(REPO_ROOT, 'fastio') == []
    assert _pins(REPO_ROOT, 'core') == [f'gokart-fastio=={the_version}']
    assert _pins(REPO_ROOT, 'cli') == [f'gokart=={the_version}']


@pytest.mark.parametrize('distribution', sorted(MEMBERS.values()))
def test_installed_metadata_matches_the_pyproject(distribution, the_version):
    # A mismatch means the editable install predates a bump: `make install` refreshes it.
    assert version(distribution) == the_version


def test_version_attributes_are_the_installed_metadata():
    import gokart
    import gokart_cli
    import gokart_fastio

    assert gokart.__version__ == version('gokart')
    assert gokart_fastio.__version__ == version('gokart-fastio')
    assert gokart_cli.__version__ == version('gokart-cli')


# --- scripts/bump_version.py, on a copy of the pyprojects ---------------------------------------------


def _load_bump():
    spec = importlib.util.spec_from_file_location('bump_version', REPO_ROOT / 'scripts' / 'bump_version.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def bump():
    return _load_bump()


@pytest.fixture
def tree(tmp_path, bump) -> Path:
    for relative in bump.PYPROJECTS:
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / relative, tmp_path / relative)
    return tmp_path


def _changed_lines(root: Path, relative: str) -> list[tuple[str, str]]:
    before = (REPO_ROOT / relative).read_text().splitlines()
    after = (root / relative).read_text().splitlines()
    return [(b.strip(), a.strip()) for b, a in zip(before, after, strict=True) if b != a]


def test_bump_rewrites_every_version_and_pin(tree, bump, the_version, capsys):
    assert bump.main(['9.8.7rc1', '--root', str(tree)]) == 0
    assert set(_versions(tree).values()) == {'9.8.7rc1'}
    assert _pins(tree, 'core') == ['gokart-fastio==9.8.7rc1']
    assert _pins(tree, 'cli') == ['gokart==9.8.7rc1']
    assert len(capsys.readouterr().out.splitlines()) == 4


def test_bump_touches_nothing_but_versions_and_pins(tree, bump, the_version):
    bump.main(['9.8.7', '--root', str(tree)])
    for relative in bump.PYPROJECTS:
        for before, after in _changed_lines(tree, relative):
            assert after == before.replace(the_version, '9.8.7'), relative
    core = _changed_lines(tree, 'packages/core/pyproject.toml')
    assert len(core) == 2  # version and the fastio pin; the luigi pin and others are untouched


def test_bump_leaves_foreign_pins_and_other_tables_alone(bump):
    text = (
        '[project]\nname = "x"\nversion = "1.0.0"\ndependencies = ["gokart==1.0.0", "my-gokart==1.0.0", '
        '"gokart-fastio == 1.0.0; python_version>\'3\'"]\n[tool.x]\nversion = "1.0.0"\n'
    )
    assert bump.bump_text(text, '2.0.0') == (
        '[project]\nname = "x"\nversion = "2.0.0"\ndependencies = ["gokart==2.0.0", "my-gokart==1.0.0", '
        '"gokart-fastio == 2.0.0; python_version>\'3\'"]\n[tool.x]\nversion = "1.0.0"\n'
    )


def test_bump_rejects_a_malformed_version_and_writes_nothing(tree, bump, the_version, capsys):
    with pytest.raises(SystemExit) as info:
        bump.main(['v1.2', '--root', str(tree)])
    assert info.value.code == 2
    assert set(_versions(tree).values()) == {the_version}


def test_bump_is_all_or_nothing_when_a_file_lacks_a_version(tree, bump, the_version):
    cli = tree / 'packages/cli/pyproject.toml'
    cli.write_text(cli.read_text().replace(f'version = "{the_version}"\n', 'dynamic = ["version"]\n'))
    assert bump.main(['9.9.9', '--root', str(tree)]) == 1
    assert _project(tree / 'pyproject.toml')['version'] == the_version
    assert _project(tree / 'packages/core/pyproject.toml')['version'] == the_version
