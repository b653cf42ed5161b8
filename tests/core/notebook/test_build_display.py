"""The build display: a live view then a summary inside a Jupyter kernel; nothing in a plain script."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import luigi
import pytest

import gokart
from gokart._notebook import _progress
from gokart.build import GokartBuildError


class FakeHandle:
    """What IPython's display(..., display_id=True) returns: every view shown, in order."""

    def __init__(self, first) -> None:
        self.views = [first]

    def update(self, view) -> None:
        self.views.append(view)


@pytest.fixture
def handles(monkeypatch):
    shown: list[FakeHandle] = []

    def display_handle(view):
        shown.append(FakeHandle(view))
        return shown[-1]

    monkeypatch.setattr(_progress, 'display_handle', display_handle)
    monkeypatch.setattr(_progress, 'in_kernel', lambda: True)
    return shown


class Part(gokart.TaskOnKart):
    n = luigi.IntParameter()

    def run(self):
        time.sleep(0.01)
        self.dump(self.n)


class Whole(gokart.TaskOnKart):
    parts = luigi.IntParameter(default=6)
    fail = luigi.BoolParameter(default=False)

    def requires(self):
        return [Part(n=i) for i in range(self.parts)]

    def run(self):
        if self.fail:
            raise ValueError('whole failed')
        self.dump(sum(self.load()))


@pytest.mark.parametrize('workers', [1, 2])
def test_summary_counts_ran_cached_and_failed(handles, workers):
    gokart.build(Part(n=0))
    with pytest.raises(GokartBuildError):
        gokart.build(Whole(fail=True), workers=workers)
    (first, build) = handles
    assert first.views[-1].text.startswith('gokart.build Part: done · 1 ran, 0 cached, 0 failed · ')
    summary = build.views[-1]
    assert summary.text.startswith('gokart.build Whole: failed · 5 ran, 1 cached, 1 failed · ')
    assert '  Part: ' in summary.text and summary.text.count('\n  Part: ') == 5
    assert summary.text.endswith(f'  ✗ {Whole(fail=True)}: ValueError: whole failed')
    assert 'gokart-summary' in summary._repr_html_() and 'whole failed' in summary._repr_html_()
    assert build.views[0].text.startswith('gokart.build Whole: 0/1 · 0 ran, 0 cached, 0 failed, 1 pending')


class BuildsInside(gokart.TaskOnKart):
    def run(self):
        self.dump(gokart.build(Part(n=7)))


def test_a_build_inside_a_run_has_its_own_display_and_the_outer_one_still_counts(handles):
    """The inner display shares the outer one's handlers: none added twice, none taken off before the outer ends."""
    assert gokart.build(BuildsInside()) == 7
    outer, inner = handles
    assert inner.views[-1].text.startswith('gokart.build Part: done · 1 ran, 0 cached, 0 failed · ')
    assert outer.views[-1].text.startswith('gokart.build BuildsInside: done · 1 ran, 0 cached, 0 failed · ')
    assert _progress._HANDLERS is None


def test_updates_are_throttled(handles):
    started = time.monotonic()
    gokart.build(Whole(parts=200))
    elapsed = time.monotonic() - started
    (build,) = handles
    # 201 tasks fire 600 events; a redraw at most every 0.1 s, plus the first view and the summary
    assert len(build.views) <= elapsed / _progress._MIN_INTERVAL + 3
    assert build.views[-1].text.startswith('gokart.build Whole: done · 201 ran, 0 cached, 0 failed')


def test_nothing_is_registered_or_imported_outside_a_kernel(tmp_path):
    # a fresh interpreter: other tests register the handlers in this one
    script = textwrap.dedent(
        """
        import sys, luigi, gokart
        from gokart._notebook import _progress

        class Plain(gokart.TaskOnKart):
            def run(self):
                self.dump(1)

        before = {e: len(h) for e, h in luigi.Task._event_callbacks.get(luigi.Task, {}).items()}
        gokart.build(Plain())
        after = {e: len(h) for e, h in luigi.Task._event_callbacks.get(luigi.Task, {}).items()}
        print(_progress._HANDLERS is None, before == after, 'IPython' in sys.modules)
        """
    )
    done = subprocess.run([sys.executable, '-c', script], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ['True', 'True', 'False']


def _outputs(python: str, tmp_path) -> tuple[str, str]:
    script = textwrap.dedent(
        """
        import gokart, luigi

        class Quiet(gokart.TaskOnKart):
            n = luigi.IntParameter(default=2)

            def run(self):
                self.dump(self.n)

        class Top(gokart.TaskOnKart):
            def requires(self):
                return [Quiet(n=i) for i in range(3)]

            def run(self):
                self.dump(sum(self.load()))

        assert gokart.build(Top()) == 3
        assert gokart.build(Top()) == 3
        """
    )
    done = subprocess.run([python, '-c', script], cwd=tmp_path, capture_output=True, text=True, check=True)
    return done.stdout, done.stderr


@pytest.mark.single_leg
def test_a_plain_script_is_as_quiet_as_upstream(upstream_python, tmp_path):
    (tmp_path / 'ours').mkdir()
    (tmp_path / 'theirs').mkdir()
    ours = _outputs(sys.executable, tmp_path / 'ours')
    theirs = _outputs(upstream_python, tmp_path / 'theirs')
    assert ours == theirs == ('', '')
