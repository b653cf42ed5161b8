"""The one post-order walk over task graphs: children before parents, iterative, each node once.

Unique ids, luigi's task_id and hash, the task-info tree and the engine's summary all need a node's
children finished before the node itself. Pipelines are chains thousands of tasks deep, far below
Python's recursion limit, so the walk keeps its own stack.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

__all__ = ['CycleError', 'post_order']

N = TypeVar('N')


class CycleError(RecursionError):
    """A node is its own descendant. A RecursionError, as a recursive walk would have raised."""

    def __init__(self, message: str, node: object, child: object) -> None:
        super().__init__(message)
        self.node = node
        self.child = child


def post_order(
    roots: Iterable[N],
    children: Callable[[N], Iterable[N]],
    visit: Callable[[N], object],
    *,
    is_done: Callable[[N], bool] | None = None,
    key: Callable[[N], Hashable] = id,
    describe_cycle: Callable[[N, N], str] | None = None,
) -> None:
    """Call `visit(node)` once for every node reachable from `roots`, after all of its children.

    `is_done(node)` true means the node's result is already known: it is neither expanded nor visited.
    `children(node)` is called at most once per node. A child already on the current path is a cycle:
    CycleError, with `describe_cycle(node, child)` as its message when given; without `describe_cycle`,
    such a child is skipped (the walk then only needs each node once, not a DAG).
    """
    finished: set[Hashable] = set()
    # With key=id, a node freed during the walk could hand its id to a new object: keep them all alive.
    expanded: list[N] = []
    for root in roots:
        root_key = key(root)
        if root_key in finished or (is_done is not None and is_done(root)):
            continue
        on_path = {root_key}
        expanded.append(root)
        stack = [(root, root_key, iter(children(root)))]
        while stack:
            node, node_key, pending = stack[-1]
            for child in pending:
                child_key = key(child)
                if child_key in finished:
                    continue
                if child_key in on_path:
                    if describe_cycle is not None:
                        raise CycleError(describe_cycle(node, child), node, child)
                    continue
                if is_done is not None and is_done(child):
                    finished.add(child_key)
                    continue
                on_path.add(child_key)
                expanded.append(child)
                stack.append((child, child_key, iter(children(child))))
                break
            else:
                stack.pop()
                on_path.discard(node_key)
                finished.add(node_key)
                visit(node)
