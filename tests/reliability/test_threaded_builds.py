"""gokart.build from several threads at once: each build its own log level, nothing global left changed."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.single_leg]


def test_concurrent_builds_from_threads_keep_their_levels_and_restore_logging(procs, tmp_path):
    # 20 rounds of 4 builds at once (log levels ERROR, WARNING, CRITICAL, INFO), in a fresh process:
    # each result is right, each build drops exactly the records below its own level, and after each
    # round logging.disable, Logger.isEnabledFor and the gokart.build logger's level are as before.
    run = procs.start_pipeline('threads', '20', cwd=tmp_path)
    assert run.wait(timeout=300) == 0, run.stderr()[-3000:]
    report = run.json()
    assert report['problems'] == []
    assert report['after'] == ['a warning after the builds']  # a WARNING logged afterwards is emitted
