"""A task in a dotted module: the module path becomes folders under the workspace."""

import luigi

import gokart


class Source(gokart.TaskOnKart):
    pass


class Double(gokart.TaskOnKart):
    task_namespace = 'demo'
    src = gokart.TaskInstanceParameter()

    def output(self):
        return self.make_target('demo/double.csv')


class PkgChild(gokart.TaskOnKart):
    y = luigi.Parameter(default='why')


CASES = {
    'pkg_dotted_module_source': lambda: Source(),
    'pkg_demo_double': lambda: Double(src=Source()),
    'pkg_child': lambda: PkgChild(),
}
