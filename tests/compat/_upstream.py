"""Run Python snippets in a subprocess: under gokart 1.12.2's interpreter (.venv-upstream) or under ours."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path
from typing import Any

COMPAT_DIR = Path(__file__).resolve().parent
REPO_ROOT = COMPAT_DIR.parent.parent


class SnippetError(AssertionError):
    """The snippet exited non-zero; the message carries its stderr."""


def _env(extra_path: list[str | os.PathLike[str]] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ('PYTHONPATH', 'LUIGI_CONFIG_PATH', 'PYTHONHOME')}
    # tests/compat on the path lets snippets import the shared generators (compat_data.py, pipeline modules)
    paths = [str(COMPAT_DIR), *(str(p) for p in extra_path or [])]
    env['PYTHONPATH'] = os.pathsep.join(paths)
    env['PYTHONHASHSEED'] = '0'
    return env


def run_python(
    python: str,
    code: str,
    cwd: str | os.PathLike[str],
    *,
    extra_path: list[str | os.PathLike[str]] | None = None,
    timeout: float = 300,
) -> str:
    """Run `code` (dedented) with `python` in `cwd`; return stdout, raise SnippetError showing stderr on failure."""
    proc = subprocess.run(
        [python, '-c', textwrap.dedent(code)],
        cwd=cwd,
        env=_env(extra_path),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise SnippetError(
            f'{python} snippet failed (exit {proc.returncode}) in {cwd}\n'
            f'--- code ---\n{textwrap.dedent(code)}\n--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}'
        )
    return proc.stdout


def run_python_json(python: str, code: str, cwd: str | os.PathLike[str], **kwargs: Any) -> Any:
    """Like run_python, for snippets whose last stdout line is one JSON document."""
    stdout = run_python(python, code, cwd, **kwargs)
    lines = [line for line in stdout.splitlines() if line.strip()]
    if not lines:
        raise SnippetError(f'{python} snippet printed nothing; expected JSON\n--- code ---\n{code}')
    return json.loads(lines[-1])
