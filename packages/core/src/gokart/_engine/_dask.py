"""The engine on a Dask cluster: discovery and the state machine stay on the client, `run()`s go to workers.

The client discovers the graph as a local build does (`_graph.Discovery`), then submits in waves: every
ready task plus everything that becomes runnable if those succeed, as Dask futures wired to the futures
of their dependencies. Tasks of one depth are grouped into chunks (`_dask_worker.run_chunk`), so that a
20,000-task fan is some hundred Dask tasks rather than 20,000 (Dask costs about a millisecond per task on
its scheduler). Results come back in dependency order and go through `Engine._handle`, after the client
replays each task's luigi events, so handlers, the summary, retcodes and GokartBuildError behave as in a
local build. What cannot finish inside a wave (dynamic dependencies, a held redis run lock) is simply
pending again, and the next wave picks it up.

A lost worker's chunk is run again by Dask; its members whose outputs are already committed are skipped
by the at-run completeness check, which is always on here (docs/compat.md, Q62).
"""

from __future__ import annotations

import dataclasses
import logging
import time
import uuid
from typing import TYPE_CHECKING, Any

import cloudpickle
import luigi.configuration
from luigi.event import Event

from gokart import _optional_deps
from gokart._engine._dask_worker import SKIPPED, TASK, fire, run_chunk
from gokart._engine._engine import Engine
from gokart._engine._runner import RunResult
from gokart._engine._scheduler import LockRetries
from gokart._engine._state import FAILED, PENDING

if TYPE_CHECKING:
    from distributed import Client, Future

    from gokart._engine._options import EngineOptions
    from gokart._engine._state import Node

__all__ = ['DaskEngine', 'connect']

_MAX_CHUNK = 256  # tasks per Dask task at most
_CHUNKS_PER_THREAD = 4  # per depth, so that the workers stay busy as chunks finish unevenly

_logger = logging.getLogger('luigi-interface')


def connect(executor: object) -> tuple[Client, bool]:
    """A distributed.Client for `executor` (a Client, or a scheduler address), and whether we opened it."""
    distributed = _optional_deps.import_extra('dask', 'distributed')
    if isinstance(executor, distributed.Client):
        return executor, False
    if isinstance(executor, str):
        return distributed.Client(executor), True
    raise TypeError(
        f'executor must be a distributed.Client or a Dask scheduler address such as "tcp://127.0.0.1:8786", '
        f'got {type(executor).__name__!r}'
    )


def _config_snapshot() -> dict[str, dict[str, str]] | None:
    config = luigi.configuration.get_config()
    try:
        return {section: dict(config.items(section, raw=True)) for section in config.sections()}
    except Exception:  # a parser without the configparser interface (toml): the workers read their own
        return None


@dataclasses.dataclass
class _Chunk:
    nodes: list[Node]
    deps: list[int]  # indices of the chunks it waits for


class DaskEngine(Engine):
    def __init__(self, options: EngineOptions, client: Client) -> None:
        super().__init__(options._replace(task_completion_check_at_run=True), workers=1)
        self._client = client
        self._ready: dict[str, Node] = {}  # ready to submit, in the order they became ready
        self.graph._on_ready = self._push
        self._lock_retries = LockRetries(self._push)

    def _push(self, node: Node) -> None:
        self._ready[node.task_id] = node

    def run(self) -> bool:
        self._logger.info('Running on the Dask cluster of %s', getattr(self._client.scheduler, 'address', '?'))
        self.run_succeeded = True
        [config] = self._client.scatter([_config_snapshot()], broadcast=True)  # a dict would be keys
        retries = self._lock_retries
        while True:
            retries.push_due()
            if not self._ready:
                wait = retries.seconds_to_next()
                if wait is None:
                    return self.run_succeeded
                time.sleep(wait)  # only tasks locked by other processes are left
                continue
            self._run_wave(config)

    def _wave(self) -> list[list[Node]]:
        """The ready nodes and the nodes they unblock, by depth (0: ready now)."""
        depth: dict[str, int] = {}
        ready = (node for node in self._ready.values() if node.status == PENDING)
        order = sorted(ready, key=lambda node: (-node.task.priority, node.seq))
        self._ready.clear()
        for node in order:
            depth[node.task_id] = 0
        remaining: dict[str, int] = {}
        i = 0
        while i < len(order):
            node = order[i]
            i += 1
            for parent in node.dependents:
                if parent.task_id in depth or parent.status != PENDING or not parent.can_run or parent.queued:
                    continue
                left = remaining.get(parent.task_id, parent.waiting) - 1
                remaining[parent.task_id] = left
                if left == 0:
                    depth[parent.task_id] = 1 + max(depth[d.task_id] for d in parent.deps or () if d.task_id in depth)
                    order.append(parent)
        levels: list[list[Node]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
        for node in order:
            levels[depth[node.task_id]].append(node)
        return levels

    def _run_wave(self, config: Future[Any]) -> None:
        levels = self._wave()
        threads = max(1, sum(self._client.nthreads().values()))
        token = uuid.uuid4().hex
        chunks: list[_Chunk] = []
        futures: dict[Any, int] = {}  # key -> chunk index
        submitted: list[Future[Any]] = []
        chunk_of: dict[str, int] = {}
        for level in levels:
            size = max(1, min(_MAX_CHUNK, len(level) // (_CHUNKS_PER_THREAD * threads)))
            for start in range(0, len(level), size):
                nodes = level[start : start + size]
                items: list[tuple[Any, ...]] = []
                deps: set[int] = set()
                for node in nodes:
                    in_wave = [dep.task_id for dep in node.deps or () if dep.task_id in chunk_of]
                    deps.update(chunk_of[dep_id] for dep_id in in_wave)
                    to_check = [dep.task for dep in self._deps_to_check(node)]
                    items.append((node.task, to_check, bool(node.dependents), in_wave))
                index = len(chunks)
                chunks.append(_Chunk(nodes, sorted(deps)))
                for node in nodes:
                    chunk_of[node.task_id] = index
                payload = self._dumps((self.options, self.record._id, items), nodes)
                future = self._client.submit(
                    run_chunk,
                    payload,
                    config,
                    *(submitted[dep] for dep in chunks[index].deps),
                    key=f'gokart-{token}-{index}',
                    pure=False,
                    priority=max(node.task.priority for node in nodes),
                )
                futures[future.key] = index
                submitted.append(future)
        self._collect(chunks, submitted, futures)

    @staticmethod
    def _dumps(value: object, nodes: list[Node]) -> bytes:
        try:
            return cloudpickle.dumps(value)
        except Exception as ex:
            for node in nodes:
                try:
                    cloudpickle.dumps(node.task)
                except Exception:
                    raise TypeError(f'{node.task} cannot be sent to the Dask workers: {ex}') from ex
            raise

    def _collect(self, chunks: list[_Chunk], submitted: list[Future[Any]], futures: dict[Any, int]) -> None:
        """Handle the chunks as they finish, each after the chunks it waits for."""
        import distributed

        done: set[int] = set()
        errored: set[int] = set()
        finished: list[int] = []
        for future in distributed.as_completed(submitted):
            finished.append(futures[future.key])
            progress = True
            while progress:
                progress = False
                for index in list(finished):
                    if all(dep in done for dep in chunks[index].deps):
                        finished.remove(index)
                        self._finish_chunk(chunks[index], submitted[index], errored, index)
                        done.add(index)
                        progress = True
        submitted.clear()

    def _finish_chunk(self, chunk: _Chunk, future: Future[Any], errored: set[int], index: int) -> None:
        if future.status != 'finished':
            errored.add(index)
            if any(dep in errored for dep in chunk.deps):
                return  # Dask passed on a dependency's error: its nodes stay blocked, as in a local build
            message = f'the Dask chunk of {len(chunk.nodes)} task(s) failed: {future.exception()!r}'
            for node in chunk.nodes:
                self._ready.pop(node.task_id, None)
                self.graph.start(node)
                fire(node.task, Event.PROCESS_FAILURE, (node.task, message), {}, worker_side=False)
                self._logger.info('Task %s failed on Dask: %s', node.task_id, message)
                self._handle(node, RunResult(FAILED, message, [], [], []))
            return
        _, blob = future.result()
        for task_id, status, expl, missing, new_deps, verified, events in cloudpickle.loads(blob):
            if status == SKIPPED:
                continue
            node = self.graph.nodes[task_id]
            self._ready.pop(task_id, None)  # made ready meanwhile by its dependencies' results
            self.graph.start(node)
            for event, args, kwargs in events:
                fire(
                    node.task,
                    event,
                    tuple(node.task if isinstance(arg, str) and arg == TASK else arg for arg in args),
                    kwargs,
                    worker_side=False,
                )
            self._handle(node, RunResult(status, expl, missing, new_deps, verified))


def build_on_dask(tasks: Any, options: EngineOptions, executor: object) -> Any:
    """Engine.build on the cluster `executor` names; a client opened here is closed afterwards."""
    client, opened = connect(executor)
    try:
        return DaskEngine(options, client).build(tasks)
    finally:
        if opened:
            client.close()
