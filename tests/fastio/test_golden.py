"""Committed vectors: both twins must reproduce them byte for byte (regenerate canonical/json vectors with
scripts/gen_golden_fastio.py; the legacy md5 ids are the worked examples E1-E6, verified against gokart 1.12.2)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / 'golden'
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / 'scripts'))
from gen_golden_fastio import value_of  # noqa: E402


def _vectors(name: str) -> list[dict]:
    return json.loads((GOLDEN / name).read_text(encoding='utf-8'))['vectors']


LEGACY = _vectors('legacy_ids.json')
CANONICAL = _vectors('canonical_v1.json')
JSON_PARAMS = _vectors('json_params.json')


@pytest.mark.parametrize('vector', LEGACY, ids=[v['name'] for v in LEGACY])
def test_legacy_ids(fastio_impl, vector):
    assert fastio_impl.legacy_canonical(vector['deps']) == vector['canonical']
    assert fastio_impl.legacy_id(vector['deps']) == vector['id']


@pytest.mark.parametrize('vector', CANONICAL, ids=[v['expr'] for v in CANONICAL])
def test_canonical_bytes_and_xxh3(fastio_impl, vector):
    value = value_of(vector['expr'])
    assert fastio_impl.canonical_bytes(value).hex() == vector['hex']
    assert fastio_impl.xxh3_id(value) == vector['xxh3_id']


@pytest.mark.parametrize('vector', JSON_PARAMS, ids=[v['expr'] for v in JSON_PARAMS])
def test_serialize_json(fastio_impl, vector):
    value = value_of(vector['expr'])
    assert fastio_impl.serialize_json(value) == vector['json'] == json.dumps(value)


def test_the_corpus_covers_every_type_tag():
    tags = {bytes.fromhex(v['hex'])[1] for v in CANONICAL}
    first_bytes = {
        0xC0,
        0xC2,
        0xC3,
        0xCB,
        0xCC,
        0xCD,
        0xCE,
        0xCF,
        0xD0,
        0xD1,
        0xD2,
        0xD3,
        0xD9,
        0xDA,
        0xC4,
        0xC5,
        0xDC,
        0xDE,
    }
    assert first_bytes <= tags
    ext_codes = {
        bytes.fromhex(v['hex'])[2] for v in CANONICAL if bytes.fromhex(v['hex'])[1] in (0xC7, 0xD6, 0xD7, 0xD8)
    }
    ext_codes |= {bytes.fromhex(v['hex'])[3] for v in CANONICAL if bytes.fromhex(v['hex'])[1] == 0xC7}
    assert {1, 2, 3, 4, 5} <= ext_codes
