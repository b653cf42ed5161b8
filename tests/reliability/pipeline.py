"""The pipeline of the reliability tests, run as a script (also by gokart 1.12.2's interpreter).

    python pipeline.py build N WORKERS SLEEP    gokart.build(Root(n=N, sleep=SLEEP), workers=WORKERS)
    python pipeline.py build-after N WORKERS SLEEP  the same, but each leaf sleeps after its dump
    python pipeline.py mids N MIDS WORKERS SLEEP  gokart.build(Root(n=N, mids=MIDS, sleep=SLEEP), workers=WORKERS)
    python pipeline.py run ARGS...              gokart.run(ARGS) with gokart's retcodes
    python pipeline.py run-luigi-retcodes ARGS  gokart.run(ARGS, set_retcode=False): luigi's default retcodes
    python pipeline.py threads ROUNDS           ROUNDS rounds of 4 builds at once from 4 threads
    python pipeline.py big N WORKERS SIZE       gokart.build(BigRoot(n=N, size=SIZE), workers=WORKERS)
    python pipeline.py restore                  every task with an output under ./resources, restored from its
                                                logs (TaskOnKart.restore and the log getters), as JSON

Each run() appends "<pid> <task_id> <output path>" to the file named by $RELIABILITY_RUNS (if set), so a
test can count what ran where. `sleep` is insignificant: it does not change ids or paths.
"""

from __future__ import annotations

import json
import logging
import os
import random
import sys
import threading
import time

import luigi

import gokart


def _note(task: gokart.TaskOnKart) -> None:
    runs = os.environ.get('RELIABILITY_RUNS')
    if runs:
        with open(runs, 'a') as f:  # one short append per line: whole lines even from several processes
            f.write(f'{os.getpid()} {task.task_id} {os.path.abspath(task.output().path())}\n')


class Leaf(gokart.TaskOnKart):
    i = luigi.IntParameter()
    sleep = luigi.FloatParameter(default=0.0, significant=False)
    after = luigi.FloatParameter(default=0.0, significant=False)  # seconds to sleep after the dump

    def run(self):
        _note(self)
        time.sleep(self.sleep)
        self.dump(self.i)
        time.sleep(self.after)


class Mid(gokart.TaskOnKart):
    j = luigi.IntParameter()
    width = luigi.IntParameter(default=3)
    sleep = luigi.FloatParameter(default=0.0, significant=False)

    def requires(self):
        return [Leaf(i=self.j * self.width + k, sleep=self.sleep) for k in range(self.width)]

    def run(self):
        _note(self)
        self.dump(sum(self.load()))


class Root(gokart.TaskOnKart):
    """n leaves; with mids > 0, n is split over that many Mid tasks of n // mids leaves."""

    n = luigi.IntParameter(default=8)
    mids = luigi.IntParameter(default=0)
    sleep = luigi.FloatParameter(default=0.0, significant=False)
    after = luigi.FloatParameter(default=0.0, significant=False)

    def requires(self):
        if self.mids:
            return [Mid(j=j, width=self.n // self.mids, sleep=self.sleep) for j in range(self.mids)]
        return [Leaf(i=i, sleep=self.sleep, after=self.after) for i in range(self.n)]

    def run(self):
        _note(self)
        self.dump(sum(self.load()))


class Big(gokart.TaskOnKart):
    """SIZE incompressible bytes, the same for the same (i, size)."""

    i = luigi.IntParameter()
    size = luigi.IntParameter()

    def run(self):
        _note(self)
        self.dump(random.Random(self.i).randbytes(self.size))


class BigRoot(gokart.TaskOnKart):
    n = luigi.IntParameter()
    size = luigi.IntParameter()

    def requires(self):
        return [Big(i=i, size=self.size) for i in range(self.n)]

    def run(self):
        _note(self)
        self.dump(sum(len(data) for data in self.load()))


def _restore() -> dict:
    """For every output under resources/__main__: its class, restored from its task_params log, and the
    other logs read back; what could not be read goes under 'problems'."""
    restored, problems = {}, []
    classes = {cls.__name__: cls for cls in (Leaf, Mid, Root, Big, BigRoot)}
    for name in sorted(os.listdir('resources/__main__')):
        if '-luigi-tmp-' in name:
            problems.append(f'temporary file {name}')
            continue
        family, uid = name[: -len('.pkl')].rsplit('_', 1)
        try:
            task = classes[family].restore(uid)
            assert task.make_unique_id() == uid, (task, uid)
            assert task.get_task_params(), 'no task_params'
            assert task.get_processing_time() != 'unknown', 'no processing_time'
            assert 'file_path' in task.get_task_log(), 'no task_log'
            task.output().load()
        except Exception as error:
            problems.append(f'{name}: {type(error).__name__}: {error}')
        else:
            restored[name] = task.to_str_params(only_significant=True)
    return {'restored': restored, 'problems': problems}


class Loud(gokart.TaskOnKart):
    x = luigi.IntParameter()

    def run(self):
        logging.getLogger('reliability.task').warning('task %d warns', self.x)
        self.dump(self.x * 2)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _threads(rounds: int) -> dict:
    """Four builds at once with four log levels, `rounds` times; what went wrong, per round."""
    levels = [logging.ERROR, logging.WARNING, logging.CRITICAL, logging.INFO]
    records = _Records()
    logging.root.addHandler(records)
    build_logger = logging.getLogger('gokart.build')
    saved = (logging.root.manager.disable, logging.Logger.isEnabledFor, build_logger.level)
    problems = []
    for r in range(rounds):
        results: dict[int, object] = {}
        barrier = threading.Barrier(len(levels))

        def build(k: int, r: int = r, results: dict = results, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            results[k] = gokart.build(Loud(x=r * 10 + k), reset_register=False, log_level=levels[k])

        del records.messages[:]
        threads = [threading.Thread(target=build, args=(k,)) for k in range(len(levels))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if results != {k: (r * 10 + k) * 2 for k in range(len(levels))}:
            problems.append(f'round {r}: results {results}')
        now = (logging.root.manager.disable, logging.Logger.isEnabledFor, build_logger.level)
        if now != saved:
            problems.append(f'round {r}: (disable, isEnabledFor, gokart.build level) {now} != {saved}')
        # a build's own WARNING records pass at WARNING and INFO, not at ERROR and CRITICAL
        expected = {f'task {r * 10 + k} warns' for k in range(len(levels)) if levels[k] <= logging.WARNING}
        seen = {m for m in records.messages if m.startswith('task ')}
        if seen != expected:
            problems.append(f'round {r}: task warnings {sorted(seen)} != {sorted(expected)}')
    del records.messages[:]
    logging.getLogger('reliability.after').warning('a warning after the builds')
    return {'problems': problems, 'after': records.messages}


def _build_and_report(task: gokart.TaskOnKart, workers: int) -> None:
    """Print {"result": ...}, or {"error": ..., "raised": [...]} and exit 1."""
    try:
        result = gokart.build(task, workers=workers, reset_register=False)
    except Exception as error:
        raised = getattr(error, 'raised_exceptions', {})
        messages = [f'{type(e).__name__}: {e}' for errors in raised.values() for e in errors]
        print(json.dumps({'error': type(error).__name__, 'raised': messages}))
        sys.exit(1)
    print(json.dumps({'result': result}))


def main(argv: list[str]) -> None:
    mode, args = argv[0], argv[1:]
    if mode == 'build':
        n, workers, sleep = int(args[0]), int(args[1]), float(args[2])
        _build_and_report(Root(n=n, sleep=sleep), workers)
    elif mode == 'mids':
        n, mids, workers, sleep = int(args[0]), int(args[1]), int(args[2]), float(args[3])
        _build_and_report(Root(n=n, mids=mids, sleep=sleep), workers)
    elif mode == 'build-after':
        n, workers, after = int(args[0]), int(args[1]), float(args[2])
        _build_and_report(Root(n=n, after=after), workers)
    elif mode == 'big':
        n, workers, size = int(args[0]), int(args[1]), int(args[2])
        _build_and_report(BigRoot(n=n, size=size), workers)
    elif mode == 'restore':
        print(json.dumps(_restore()))
    elif mode == 'run':
        gokart.run(args)
    elif mode == 'run-luigi-retcodes':
        gokart.run(args, set_retcode=False)
    elif mode == 'threads':
        print(json.dumps(_threads(int(args[0]))))
    else:
        raise SystemExit(f'unknown mode {mode!r}')


if __name__ == '__main__':
    main(sys.argv[1:])
