"""examples/quickstart.ipynb runs top to bottom in a real kernel, with the outputs it promises."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from nb_outputs import outputs, texts

pytestmark = pytest.mark.single_leg

EXAMPLE = Path(__file__).resolve().parents[2] / 'examples' / 'quickstart.ipynb'


def _results(cell) -> list[dict]:
    return [o['data'] for o in outputs(cell) if o['output_type'] == 'execute_result']


def _summaries(cell) -> list[str]:
    return [o['data']['text/plain'] for o in outputs(cell) if o['output_type'] == 'display_data']


def test_quickstart_notebook(execute, tmp_path):
    import nbformat

    shutil.copy(EXAMPLE, tmp_path / 'quickstart.ipynb')
    nb = nbformat.read(tmp_path / 'quickstart.ipynb', as_version=4)
    assert all(not cell.get('outputs') for cell in nb.cells if cell.cell_type == 'code'), 'commit it without outputs'
    cells = [cell for cell in execute(nb, tmp_path).cells if cell.cell_type == 'code']
    assert not [o for cell in cells for o in outputs(cell) if o['output_type'] in ('error', 'stream')]

    quick, shown, sales, picture, rebuilt, saved = cells
    assert _results(quick)[0]['text/plain'] == '6'
    assert _summaries(quick)[0].startswith('gokart.build Double: done · 2 ran, 0 cached, 0 failed')
    assert 'cached' in _results(shown)[0]['text/html'] and 'unique id' in _results(shown)[0]['text/html']

    table = _results(sales)[0]
    assert table['text/plain'].split() == ['region', 'amount', '0', 'north', '225', '1', 'east', '215']
    assert '<table' in table['text/html']
    assert _summaries(sales)[0].startswith('gokart.build Top: done · 3 ran, 0 cached, 0 failed')

    svg = ET.fromstring(_results(picture)[0]['image/svg+xml'])
    ns = '{http://www.w3.org/2000/svg}'
    statuses = {g.find(f'{ns}text').text: [t.text for t in g.iter(f'{ns}text')][2] for g in svg.iter(f'{ns}g')}
    assert statuses == {'Sales': 'cached', 'ByRegion': 'cached', 'Top': 'to run'}

    assert _results(rebuilt)[0]['text/plain'].split()[-3:] == ['2', 'south', '110']
    assert _summaries(rebuilt)[0].startswith('gokart.build Top: done · 1 ran, 1 cached, 0 failed')
    assert texts(saved).strip() == "'pipeline.svg'"
    assert (tmp_path / 'pipeline.svg').read_text().startswith('<svg ')
