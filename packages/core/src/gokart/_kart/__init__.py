"""The machinery behind TaskOnKart (private): one home for what gokart.task delegates to.

- register: the metaclass (is-a-TaskOnKart answered by it) and the per-class parameter table
- resolve: parameter values at construction (luigi's rules, cached defaults)
- state: the per-instance KartState and its lifetime
- session: the build session (deferred log writes; requires()/output() once per build)
- identity: serialized parameters, luigi's task_id and hash, gokart's unique id
- walk: the one post-order walk over task graphs
- outputs: outputs written after run(), complete right before it, recorded as inputs
- logs: the five supplementary log files and the failure log line
- patch_points: the public callables users patch, and whether each is the original
"""
