"""TaskOnKart._repr_html_: class, parameters (significant marked), unique id, outputs, cached."""

from __future__ import annotations

import luigi

import gokart


class Shown(gokart.TaskOnKart):
    size = luigi.IntParameter(default=3)
    label = luigi.Parameter(default='<b>x</b>', significant=False)

    def run(self):
        self.dump(self.size)


def test_html_before_and_after_a_build():
    task = Shown()
    html = task._repr_html_()
    assert '<b>Shown</b>' in html and 'not cached' in html
    assert f'<code>{task.make_unique_id()}</code>' in html
    assert f'Shown_{task.make_unique_id()}.pkl' in html
    assert '<td title="significant: part of the unique id">●</td><td><b>size</b></td><td><code>3</code>' in html
    assert '<td></td><td>label</td><td><code>&lt;b&gt;x&lt;/b&gt;</code>' in html  # escaped, not significant
    assert 'TaskOnKart parameters (' in html
    gokart.build(task)
    assert '● cached' in task._repr_html_()
