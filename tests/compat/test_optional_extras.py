"""Without the s3/gcs extras, every cloud entry point raises an ImportError naming the extra, where 1.12.2 does.

Differential: compat_extras.probe runs under gokart 1.12.2 and under ours with the same libraries hidden;
per call, the exception class, the extra its message names and whether luigi's "will crash at runtime"
warning came first must be equal (so the error is raised at the same call, not later by luigi).
"""

from __future__ import annotations

import sys

import pytest

from ._upstream import run_python_json

pytestmark = pytest.mark.upstream

_CODE = 'import json, compat_extras; print(json.dumps(compat_extras.probe({blocked!r}, {tmp!r}, none={none!r})))'
ALL_LIBS = ('boto3', 'botocore', 's3transfer', 'googleapiclient', 'google', 'httplib2', 'google_auth_httplib2')


def _probe(python: str, tmp_path, blocked: tuple[str, ...], none: bool = False) -> dict:
    return run_python_json(python, _CODE.format(blocked=blocked, tmp=str(tmp_path), none=none), cwd=tmp_path)


@pytest.mark.parametrize('none', [False, True], ids=['meta_path_blocker', 'sys_modules_none'])
def test_missing_extras_raise_the_same_import_errors_as_upstream(upstream_python, tmp_path, none):
    theirs = _probe(upstream_python, tmp_path, ALL_LIBS, none)
    ours = _probe(sys.executable, tmp_path, ALL_LIBS, none)
    assert ours == theirs
    # what 1.12.2 does, spelled out: each S3 call names gokart[s3], each GCS call gokart[gcs], never after luigi's warning
    for name, outcome in theirs.items():
        if name in ('import gokart', 'ObjectStorage.is_buffered_reader', 'S3Config()', 'GCSConfig()'):
            assert outcome == 'ok', name
        else:
            extra = 'gcs' if 'gs' in name.replace('s3', '') or 'GCS' in name else 's3'
            assert outcome == ['builtins.ImportError', [extra], False], name


@pytest.mark.parametrize(
    'blocked, extra',
    [
        (('boto3', 'botocore', 's3transfer'), 's3'),
        (('googleapiclient',), 'gcs'),  # google-api-python-client missing, google-auth installed
        (('google',), 'gcs'),  # google-auth missing, google-api-python-client installed (its import fails too)
    ],
)
def test_one_missing_extra_leaves_the_other_working(tmp_path, blocked, extra):
    # ours only: the upstream environment lacks every cloud library, so partial absence cannot be compared
    report = _probe(sys.executable, tmp_path, blocked)
    for name, outcome in report.items():
        is_gcs = 'GCS' in name or '(gs)' in name
        # as in 1.12.2, loading credentials needs google-auth only, _makepatch google-api-python-client only
        needs_one = {'_load_oauth_credentials': 'google', '_makepatch': 'googleapiclient'}
        needs = next((lib for key, lib in needs_one.items() if key in name), None)
        if name in ('import gokart', 'ObjectStorage.is_buffered_reader', 'S3Config()', 'GCSConfig()'):
            assert outcome == 'ok', name
        elif is_gcs == (extra == 'gcs') and (needs is None or needs in blocked):
            assert outcome == ['builtins.ImportError', [extra], False], name
        else:
            # the other extra is installed: no ImportError (other failures, e.g. missing credentials, are fine)
            assert outcome == 'ok' or outcome[0] != 'builtins.ImportError', (name, outcome)
