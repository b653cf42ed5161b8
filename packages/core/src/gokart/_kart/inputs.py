"""TaskOnKart.load() and load_generator() of several S3/GCS inputs: their bytes fetched at once.

A task reading n remote inputs sends n GETs one after another, as gokart 1.12.2 does; at 10-30 ms a round
trip that is minutes for a fan of thousands. Here the inputs that can be fetched whole (plain luigi
S3/GCS targets, gokart's own target and processor unpatched, no redis lock, a size the build knows,
gokart/_targets/remote_reads.py) are fetched by a bounded thread pool, as many at once as the client has
connections and at most _BYTES_AHEAD ahead of the one being loaded, while each is deserialized on the caller's thread in the original order through its
own processor (docs/compat.md Q54). So values, order and the first error are those of the sequential
path: a fetch that fails is simply read again the usual way at its turn, which raises what it raised
before (a missing file, naming its path), and a file its processor cannot read raises naming the file.
Local and other targets are loaded at their turn exactly as before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from gokart._kart import patch_points
from gokart._targets import object_cache, remote_reads
from gokart.target import SingleFileTarget

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ['load', 'load_generator']

# fetches at once: at most the client's connections (boto3 warns and reconnects beyond its pool)
_WINDOW_PER_THREAD = 1
# and at most this many bytes fetched ahead of the input being loaded (but always one fetch)
_BYTES_AHEAD = 256 * 1024 * 1024


def _leaves(targets: Any, found: list[Any]) -> None:
    """The targets in the order load() reads them."""
    if isinstance(targets, (list, tuple)):
        for target in targets:
            _leaves(target, found)
    elif isinstance(targets, dict):
        for target in targets.values():
            _leaves(target, found)
    else:
        found.append(targets)


def _plan(target: Any, config: object_cache.Settings | None) -> remote_reads.Plan | None:
    if not isinstance(target, SingleFileTarget) or not patch_points.single_file_load_is_original(target):
        return None
    if target._task_lock_params.should_task_lock:  # a load waits for the redis lock: the sequential path
        return None
    return remote_reads.plan(target._target, config)


class _Reader:
    """The loads of `leaves` in order, with the fetches of up to `window` of them running ahead."""

    def __init__(self, leaves: list[Any], plans: list[remote_reads.Plan | None], window: int) -> None:
        self.leaves = leaves
        self.plans = plans
        self.window = window
        self.position = 0  # the next leaf to load
        self.submitted = 0  # the next leaf whose fetch may be submitted
        self.pending: deque[tuple[Future[bytes], int] | None] = deque()
        self.in_flight = 0
        self.bytes_ahead = 0

    def _fill(self) -> None:
        pool = remote_reads.pool()
        while self.submitted < len(self.leaves) and self.in_flight < self.window:
            plan = self.plans[self.submitted]
            if plan is None:
                self.pending.append(None)
            elif self.in_flight and self.bytes_ahead + plan.size > _BYTES_AHEAD:
                return
            else:
                future = pool.submit(remote_reads.fetch, self.leaves[self.submitted]._target, plan)
                self.pending.append((future, plan.size))
                self.in_flight += 1
                self.bytes_ahead += plan.size
            self.submitted += 1

    def next(self) -> Any:
        self._fill()
        target = self.leaves[self.position]
        self.position += 1
        entry = self.pending.popleft()
        if entry is None:
            return target.load()
        future, size = entry
        self.in_flight -= 1
        self.bytes_ahead -= size
        try:
            data = future.result()
        except Exception:  # read the usual way: it raises what it raised before, or succeeds this time
            return target.load()
        return target._load_fetched(data)

    def close(self) -> None:
        for entry in self.pending:
            if entry is not None:
                entry[0].cancel()
        self.pending.clear()


def _reader(targets: Any) -> _Reader | None:
    """A reader for `targets` if at least two of them can be fetched ahead; else None (load as before)."""
    leaves: list[Any] = []
    _leaves(targets, leaves)
    remote = [isinstance(leaf, SingleFileTarget) and remote_reads.kind(leaf._target) is not None for leaf in leaves]
    if sum(remote) < 2:  # local inputs: nothing to fetch, the config is not read
        return None
    config = object_cache.settings()
    plans = [_plan(leaf, config) if is_remote else None for leaf, is_remote in zip(leaves, remote, strict=True)]
    first = next((i for i, plan in enumerate(plans) if plan is not None), None)
    if first is None or sum(plan is not None for plan in plans) < 2:
        return None
    window = remote_reads.threads(leaves[first]._target) * _WINDOW_PER_THREAD
    return _Reader(leaves, plans, window)


def _map(node: Any, leaf: Callable[[Any], Any]) -> Any:
    """`node` with each target replaced by leaf(target), in order: lists and tuples become lists, dicts dicts."""
    if isinstance(node, (list, tuple)):
        return [_map(t, leaf) for t in node]
    if isinstance(node, dict):
        return {k: _map(t, leaf) for k, t in node.items()}
    return leaf(node)


def _sequential(targets: Any) -> Any:
    return _map(targets, lambda target: target.load())


def load(targets: Any) -> Any:
    """TaskOnKart.load() of the input structure `targets`: lists and tuples become lists, dicts dicts."""
    reader = _reader(targets)
    if reader is None:
        return _sequential(targets)
    try:
        return _map(targets, lambda _: reader.next())  # the same order as the reader's leaves
    finally:
        reader.close()


def load_generator(targets: Any) -> Generator[Any, None, None]:
    """TaskOnKart.load_generator(): the loaded inputs one by one, fetching a bounded window ahead."""
    reader = _reader(targets)
    if reader is None:
        yield from _sequential_generator(targets)
        return
    try:
        for _ in range(len(reader.leaves)):
            yield reader.next()
    finally:
        reader.close()


def _sequential_generator(targets: Any) -> Generator[Any, None, None]:
    if isinstance(targets, (list, tuple)):
        for t in targets:
            yield from _sequential_generator(t)
    elif isinstance(targets, dict):
        # gokart 1.12.2 yields the dict's keys here (docs/compat.md, Q3); the loaded values are what callers want.
        for t in targets.values():
            yield from _sequential_generator(t)
    else:
        yield targets.load()
