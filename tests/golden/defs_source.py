"""serialized_task_definition_check=True: the task's own method sources enter the id (worked example E6)."""

import luigi

import gokart


class SrcHelper(gokart.TaskOnKart):
    n = luigi.IntParameter(default=1)

    def requires(self):
        return SrcLeaf()

    def run(self):
        self.dump(self._double())

    def _double(self):
        # a comment and odd    spacing are part of the source text
        return self.n * 2


class SrcLeaf(gokart.TaskOnKart):
    def run(self):
        self.dump('leaf')


class SrcInherits(SrcHelper):
    def output(self):
        return self.make_target('src/inherits.pkl')


class SrcStatic(gokart.TaskOnKart):
    @staticmethod
    def helper(x):
        return x + 1

    @classmethod
    def build_name(cls):
        return cls.__name__

    def run(self):
        self.dump(self.helper(1))


class SrcDefaultOn(gokart.TaskOnKart):
    serialized_task_definition_check = luigi.BoolParameter(default=True, significant=False)

    def run(self):
        self.dump(0)


CASES = {
    'src_helper_on': lambda: SrcHelper(serialized_task_definition_check=True),
    'src_helper_off': lambda: SrcHelper(),
    'src_child_requires_leaf_on': lambda: SrcHelper(n=2, serialized_task_definition_check=True),
    'src_leaf_on': lambda: SrcLeaf(serialized_task_definition_check=True),
    'src_inherited_methods_on': lambda: SrcInherits(serialized_task_definition_check=True),
    'src_static_and_classmethod_on': lambda: SrcStatic(serialized_task_definition_check=True),
    'src_default_on_by_redefinition': lambda: SrcDefaultOn(),
}
