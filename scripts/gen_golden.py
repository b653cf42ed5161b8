"""Regenerate tests/golden/vectors.json from gokart 1.12.2 (run by `make golden` under .venv-upstream).

Every case in tests/golden/defs_*.py is instantiated in a fresh luigi instance cache and recorded with
tests/golden/golden_cases.record(); tests/compat/test_golden_ids.py replays the same cases on our gokart.
The output is deterministic: no clocks, no randomness, sorted keys.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
GOLDEN_DIR = REPO_ROOT / 'tests' / 'golden'
EXPECTED = {'gokart': '1.12.2', 'luigi': '3.8.1'}


def generate() -> dict:
    versions = {name: metadata.version(name) for name in EXPECTED}
    if versions != EXPECTED:
        raise SystemExit(f'golden vectors must come from {EXPECTED}, this interpreter has {versions}')
    sys.path.insert(0, str(GOLDEN_DIR))
    # A luigi.cfg in the caller's cwd or LUIGI_CONFIG_PATH would leak config values into parameters.
    os.environ.pop('LUIGI_CONFIG_PATH', None)
    previous_cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as cwd:
        os.chdir(cwd)
        try:
            import golden_cases

            with warnings.catch_warnings():
                warnings.simplefilter('ignore')  # luigi warns about non-str values some cases pass on purpose
                cases = golden_cases.load_cases()
                recorded = {name: golden_cases.record(factory) for name, factory in cases.items()}
        finally:
            os.chdir(previous_cwd)
    return {'generated_by': versions, 'cases': recorded}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--output', type=Path, default=GOLDEN_DIR / 'vectors.json')
    args = parser.parse_args(argv)
    output = args.output.resolve()
    text = json.dumps(generate(), indent=2, sort_keys=True, ensure_ascii=False) + '\n'
    output.write_text(text, encoding='utf-8')
    print(f'wrote {output}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
