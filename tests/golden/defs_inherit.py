"""Inheritance: parameter order is creation order, bases first; redefining a parameter moves it to the end."""

import luigi

import gokart


class InhBase(gokart.TaskOnKart):
    a = luigi.Parameter(default='a0')
    b = luigi.IntParameter(default=1)


class InhChild(InhBase):
    c = luigi.Parameter(default='c0')


class InhRedefine(InhBase):
    a = luigi.Parameter(default='a1')  # redefined: now after b
    d = luigi.Parameter(default='d0')


class InhGrandChild(InhRedefine):
    b = luigi.IntParameter(default=2)


class InhMixin(luigi.Task):
    m = luigi.Parameter(default='mix')


class InhWithMixin(InhBase, InhMixin):
    z = luigi.Parameter(default='z0')


class InhBaseNs(gokart.TaskOnKart):
    task_namespace = 'inherit_ns'
    a = luigi.Parameter(default='a0')


class InhChildOfNs(InhBaseNs):
    pass


class InhChildOverridesNs(InhBaseNs):
    task_namespace = 'other_ns'


class InhChildClearsNs(InhBaseNs):
    task_namespace = None


class InhRequiresInherited(InhBase):
    def requires(self):
        return InhChild(a=self.a)


CASES = {
    'inherit_base': lambda: InhBase(),
    'inherit_child_appends': lambda: InhChild(),
    'inherit_redefine_moves_to_end': lambda: InhRedefine(),
    'inherit_grandchild_redefines_base': lambda: InhGrandChild(),
    'inherit_grandchild_set': lambda: InhGrandChild(a='x', b=7, d='y'),
    'inherit_with_luigi_mixin': lambda: InhWithMixin(),
    'inherit_namespace_inherited': lambda: InhChildOfNs(),
    'inherit_namespace_overridden': lambda: InhChildOverridesNs(a='q'),
    'inherit_namespace_cleared': lambda: InhChildClearsNs(),
    'inherit_requires_sibling': lambda: InhRequiresInherited(a='r'),
}
