"""Pipelines and a log-record recorder run by both interpreters (test_log_records.py, test_test_run_output.py).

`record_to(path)` makes every log record that a logger hands to its handlers (it passed the logger's level
and filters, whatever handlers exist) append one JSON line to `path`: section, logger name, level name,
message and exception type. Forked workers inherit the recorder, so their records land in the same file.
Imported as the top-level module `compat_logging` by both interpreters.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import luigi

import gokart

_state: dict[str, str] = {'path': '', 'section': ''}
_call_handlers = logging.Logger.callHandlers


def _recording_call_handlers(self: logging.Logger, record: logging.LogRecord) -> None:
    exc_type = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else None
    line = json.dumps([_state['section'], record.name, record.levelname, record.getMessage(), exc_type])
    with open(_state['path'], 'a', encoding='utf-8') as f:
        f.write(line + '\n')
    _call_handlers(self, record)


def record_to(path: str) -> None:
    _state['path'] = path
    logging.Logger.callHandlers = _recording_call_handlers  # type: ignore[method-assign]


def section(name: str) -> None:
    _state['section'] = name


def read_records(path: str) -> dict[str, list[tuple[str, str, str, str | None]]]:
    """section -> [(logger, level, normalised message, exception type)]"""
    out: dict[str, list[tuple[str, str, str, str | None]]] = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            sec, name, level, message, exc_type = json.loads(line)
            out.setdefault(sec, []).append((name, level, normalise(message), exc_type))
    return out


def normalise(text: str) -> str:
    """Replace what differs between any two runs: pids and worker ids (which carry a random salt and the pid)."""
    text = re.sub(r'Worker\(salt=[^)]*\)', 'Worker(<id>)', text)
    text = re.sub(r'\[pid \d+\]', '[pid <pid>]', text)
    # a traceback inside a message lists each implementation's own frames: keep its last line
    head, found, tail = text.partition('\nTraceback (most recent call last):\n')
    return f'{head}\n<traceback> {tail.strip().splitlines()[-1]}' if found else text


class A(gokart.TaskOnKart):
    task_namespace = 'lg'
    tag = luigi.Parameter()

    def run(self):
        self.dump('a')


class B(gokart.TaskOnKart):
    task_namespace = 'lg'
    tag = luigi.Parameter()
    fail = luigi.BoolParameter()

    def requires(self):
        return A(tag=self.tag)

    def run(self):
        if self.fail:
            raise ValueError('boom')
        self.dump(self.load() + 'b')


class C(gokart.TaskOnKart):
    task_namespace = 'lg'
    tag = luigi.Parameter()
    fail = luigi.BoolParameter()

    def requires(self):
        return B(tag=self.tag, fail=self.fail)

    def run(self):
        self.dump(self.load() + 'c')


class Left(gokart.TaskOnKart):
    task_namespace = 'lg'
    tag = luigi.Parameter()

    def requires(self):
        return A(tag=self.tag)

    def run(self):
        self.dump(self.load() + 'l')


class Right(Left):
    task_namespace = 'lg'


class Diamond(gokart.TaskOnKart):
    task_namespace = 'lg'
    tag = luigi.Parameter()

    def requires(self):
        return [Left(tag=self.tag), Right(tag=self.tag)]

    def run(self):
        self.dump(''.join(self.load()))


class Dynamic(gokart.TaskOnKart):
    task_namespace = 'lg'

    def run(self):
        a = yield A(tag='dynamic')
        self.dump(a.load() + 'd')


class BrokenComplete(gokart.TaskOnKart):
    task_namespace = 'lg'

    def complete(self):
        raise ValueError('complete() is broken')


class NeedsBrokenComplete(gokart.TaskOnKart):
    task_namespace = 'lg'

    def requires(self):
        return BrokenComplete()

    def run(self):
        self.dump(1)


# section -> (root task, build() keyword arguments, gokart.run() arguments after the task)
SECTIONS: dict[str, tuple[Any, dict[str, Any], list[str]]] = {
    'chain': (C(tag='chain'), {}, ['lg.C', '--tag=chain']),
    'cached root': (C(tag='chain'), {}, ['lg.C', '--tag=chain']),
    'failing task': (C(tag='fail', fail=True), {}, ['lg.C', '--tag=fail', '--fail']),
    'dynamic dependency': (Dynamic(), {}, ['lg.Dynamic']),
    'error in complete()': (NeedsBrokenComplete(), {}, ['lg.NeedsBrokenComplete']),
    'workers=2': (Diamond(tag='w2'), {'workers': 2}, ['lg.Diamond', '--tag=w2', '--workers=2']),
}

LOGGING_CONF = """\
[loggers]
keys=root

[handlers]
keys=stderr

[formatters]
keys=plain

[logger_root]
level=DEBUG
handlers=stderr

[handler_stderr]
class=StreamHandler
level=DEBUG
formatter=plain
args=(sys.stderr,)

[formatter_plain]
format=%(name)s %(levelname)s %(message)s
"""


def main(entry: str, level: str, user_config: str) -> None:
    """Run every section once, recording to ./records.jsonl.

    entry: 'build' (gokart.build(log_level=level)) or 'run' (gokart.run with --log-level=level).
    user_config: 'none', 'root' (logging.basicConfig at DEBUG first) or 'conf file' (run's --logging-conf-file).
    """
    record_to('records.jsonl')
    if user_config == 'root':
        logging.basicConfig(level=logging.DEBUG, format='%(name)s %(levelname)s %(message)s')
    extra = []
    if user_config == 'conf file':
        with open('logging.ini', 'w', encoding='utf-8') as f:
            f.write(LOGGING_CONF)
        extra = ['--logging-conf-file=logging.ini']
    outcomes = {}
    for name, (task, kwargs, args) in SECTIONS.items():
        section(name)
        if entry == 'build':
            try:
                gokart.build(task, log_level=getattr(logging, level), reset_register=False, **kwargs)
                outcomes[name] = 'ok'
            except Exception as e:
                outcomes[name] = type(e).__name__
        else:
            try:
                gokart.run([*args, '--local-scheduler', '--no-lock', f'--log-level={level}', *extra])
            except SystemExit as e:
                outcomes[name] = f'exit {e.code}'
    section('')
    print(json.dumps(outcomes))
