"""The discovery's check of what requires() returns, remembered per type while no ABC gains a registration:
a type registered as a luigi Target afterwards is refused again, as luigi refuses it."""

from __future__ import annotations

import luigi
import luigi.target
import pytest

import gokart


def _classes():
    class CheckedDep(luigi.Task):
        i = luigi.IntParameter()

        def complete(self):
            return True

    class CheckedRoot(luigi.Task):
        n = luigi.IntParameter()

        def requires(self):
            return [CheckedDep(i=i) for i in range(self.n)]

        def complete(self):
            return False

        def run(self):
            pass

    return CheckedDep, CheckedRoot


def test_a_type_registered_as_a_target_later_is_refused():
    dep_class, root_class = _classes()
    assert gokart.build(root_class(n=2), reset_register=False, return_value=False) is None
    luigi.target.Target.register(dep_class)  # a new ABC registration: the remembered answer no longer holds
    with pytest.raises(Exception, match='requires\\(\\) can not return Target objects'):
        gokart.build(root_class(n=3), reset_register=False, return_value=False)


def test_a_non_task_dependency_is_refused_after_valid_ones():
    class MixedRoot(luigi.Task):
        def requires(self):
            return [luigi.Task(), 42]

        def complete(self):
            return False

        def run(self):
            pass

    with pytest.raises(Exception, match='requires\\(\\) must return Task objects but 42'):
        gokart.build(MixedRoot(), reset_register=False, return_value=False)
