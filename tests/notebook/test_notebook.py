"""One notebook, executed by a real kernel: build, redefine and rebuild, a failure, rich display, a picture."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from nb_outputs import outputs, plain, texts

pytestmark = pytest.mark.single_leg

CELLS = [
    # 0: a build, its result and its summary
    """
import gokart, luigi

class Hello(gokart.TaskOnKart[str]):
    name = luigi.Parameter(default='world')
    serialized_task_definition_check = True

    def run(self):
        self.dump(f'hello {self.name}')

first_id = Hello().make_unique_id()
gokart.build(Hello())
""",
    # 1: the same class again, changed: the new definition runs, no warning, no ambiguity
    """
import warnings

class Hello(gokart.TaskOnKart[str]):
    name = luigi.Parameter(default='world')
    serialized_task_definition_check = True

    def run(self):
        self.dump(f'HELLO {self.name}')

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter('always')
    again = gokart.build(Hello(), reset_register=False)
    found = luigi.task_register.Register.get_task_cls('Hello')
print('rebuilt:', again, '| new class:', found is Hello, '| new id:', Hello().make_unique_id() != first_id)
print('warnings:', [str(w.message) for w in caught])
""",
    # 2: a failing task, uncaught: the error output is what the user sees
    """
class Broken(gokart.TaskOnKart[str]):
    def requires(self):
        return Hello()

    def run(self):
        raise ValueError('broken on purpose')

gokart.build(Broken())
""",
    # 3: the same failure, caught: the type users catch, chained from the task's exception
    """
from gokart.build import GokartBuildError

try:
    gokart.build(Broken())
except GokartBuildError as e:
    error = e
print('cause:', type(error.__cause__).__name__, error.__cause__)
""",
    # 4: rich display of a task
    'Hello()',
    # 5: the picture, inline and saved
    """
picture = gokart.visualize(Broken())
print('saved:', picture.save('graph.svg'))
picture
""",
    # 6: forked workers report to the display too
    "gokart.build(Hello(name='forked'), workers=2)",
]


def _run(execute, tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source.strip()) for source in CELLS]
    return execute(nb, tmp_path, allow_errors=True).cells


def test_notebook(execute, tmp_path):
    cells = _run(execute, tmp_path)

    # 0: the result, and the summary display that replaced the progress display
    result = [o for o in outputs(cells[0]) if o['output_type'] == 'execute_result']
    assert result and result[0]['data']['text/plain'] == "'hello world'"
    summary = [o for o in outputs(cells[0]) if o['output_type'] == 'display_data']
    assert len(summary) == 1, outputs(cells[0])
    assert summary[0]['data']['text/plain'].startswith('gokart.build Hello: done · 1 ran, 0 cached, 0 failed · ')
    assert 'gokart-summary' in summary[0]['data']['text/html']
    assert not [o for o in outputs(cells[0]) if o['output_type'] == 'stream'], 'nothing printed besides the display'

    # 1: redefinition
    shown = texts(cells[1])
    assert 'rebuilt: HELLO world | new class: True | new id: True' in shown
    assert 'warnings: []' in shown

    # 2: the error as the notebook shows it
    (error,) = [o for o in outputs(cells[2]) if o['output_type'] == 'error']
    assert error['ename'] == 'GokartBuildError'
    assert re.match(r'Broken\[[0-9a-f]{32}\]\(\) failed: ValueError: broken on purpose', error['evalue'])
    traceback = plain('\n'.join(error['traceback']))
    assert 'The above exception was the direct cause of the following exception' in traceback
    own = traceback.split('The above exception was the direct cause of the following exception')[-1]
    assert '_engine' not in own and '_runner' not in own
    lines = own.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith('GokartBuildError: Broken['))
    # the last frame shown is the user's own run(), where the exception was raised
    assert "raise ValueError('broken on purpose')" in '\n'.join(lines[max(end - 4, 0) : end]), own
    assert 'build.py' not in own, own
    summary = [o for o in outputs(cells[2]) if o['output_type'] == 'display_data']
    assert summary and 'failed · 0 ran, 1 cached, 1 failed' in summary[0]['data']['text/plain']
    assert 'ValueError: broken on purpose' in summary[0]['data']['text/plain']

    # 3: chained
    assert 'cause: ValueError broken on purpose' in texts(cells[3])

    # 4: the rich display of a task
    (shown,) = [o for o in outputs(cells[4]) if o['output_type'] == 'execute_result']
    html = shown['data']['text/html']
    unique_id = re.search(r'Hello\[([0-9a-f]{32})\]', shown['data']['text/plain']).group(1)
    assert unique_id in html and 'cached' in html and 'not cached' not in html
    assert 'Hello_' + unique_id in html  # the output path

    # 5: the picture, inline as SVG and saved
    assert 'saved: graph.svg' in texts(cells[5])
    (picture,) = [o for o in outputs(cells[5]) if o['output_type'] == 'execute_result']
    svg = ET.fromstring(picture['data']['image/svg+xml'])
    groups = {
        g.get('id'): [t.text for t in g.iter('{http://www.w3.org/2000/svg}text')]
        for g in svg.iter('{http://www.w3.org/2000/svg}g')
    }
    labels = {lines[0]: lines[2] for lines in groups.values()}
    assert labels == {'Hello': 'cached', 'Broken': 'failed'}
    saved = (tmp_path / 'graph.svg').read_text()
    assert saved == picture['data']['image/svg+xml']

    # 6: the task ran in a forked worker, whose events reached the display through its pipe
    (summary,) = [o for o in outputs(cells[6]) if o['output_type'] == 'display_data']
    assert summary['data']['text/plain'].startswith('gokart.build Hello: done · 1 ran, 0 cached, 0 failed · ')
