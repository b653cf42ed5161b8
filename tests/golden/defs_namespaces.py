"""Namespaces: the same class name in several namespaces, luigi.namespace / auto_namespace scoped to this module."""

import luigi

import gokart


class Dup(gokart.TaskOnKart):
    task_namespace = 'alpha'
    v = luigi.IntParameter(default=1)


DupAlpha = Dup


class Dup(gokart.TaskOnKart):  # noqa: F811 - same bare name, another namespace, on purpose
    task_namespace = 'beta.sub'
    v = luigi.IntParameter(default=1)


DupBeta = Dup


class Dup(gokart.TaskOnKart):  # noqa: F811 - ids hash the bare name, so all three share id inputs
    v = luigi.IntParameter(default=1)


class DupHolder(gokart.TaskOnKart):
    first = gokart.TaskInstanceParameter()
    second = gokart.TaskInstanceParameter()


luigi.namespace('scoped_ns', scope=__name__)


class Scoped(gokart.TaskOnKart):
    v = luigi.IntParameter(default=1)


luigi.auto_namespace(scope=__name__)


class AutoNs(gokart.TaskOnKart):
    v = luigi.IntParameter(default=1)


luigi.namespace(scope=__name__)


class AfterReset(gokart.TaskOnKart):
    pass


CASES = {
    'ns_dup_no_namespace': lambda: Dup(),
    'ns_dup_alpha': lambda: DupAlpha(),
    'ns_dup_beta_sub': lambda: DupBeta(v=2),
    'ns_dup_holder': lambda: DupHolder(first=DupAlpha(), second=DupBeta()),
    'ns_luigi_namespace_scoped': lambda: Scoped(),
    'ns_auto_namespace': lambda: AutoNs(),
    'ns_after_reset': lambda: AfterReset(),
}
