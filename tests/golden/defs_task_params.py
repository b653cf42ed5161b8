"""TaskInstanceParameter / ListTaskInstanceParameter: nesting, namespaces, significance."""

import luigi
from luigi.parameter import ParameterVisibility

import gokart


class TLeaf(gokart.TaskOnKart):
    v = luigi.IntParameter(default=1)
    label = luigi.Parameter(default='leaf')


class TLeafNs(gokart.TaskOnKart):
    task_namespace = 'tp.deep'
    v = luigi.IntParameter(default=1)


class TLeafVisibility(gokart.TaskOnKart):
    public = luigi.Parameter(default='p')
    hidden = luigi.Parameter(default='h', visibility=ParameterVisibility.HIDDEN)
    private = luigi.Parameter(default='x', visibility=ParameterVisibility.PRIVATE)
    insignificant = luigi.Parameter(default='i', significant=False)


class TLeafAwkwardNames(gokart.TaskOnKart):
    params = luigi.Parameter(default='p')  # docs/compat.md Q23: breaks upstream's parse, not serialize
    type = luigi.Parameter(default='t')


class TOne(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter()


class TTwo(gokart.TaskOnKart):
    left = gokart.TaskInstanceParameter()
    right = gokart.TaskInstanceParameter(expected_type=TLeaf)
    note = luigi.Parameter(default='n')


class TList(gokart.TaskOnKart):
    tasks = gokart.ListTaskInstanceParameter()


class TListTyped(gokart.TaskOnKart):
    tasks = gokart.ListTaskInstanceParameter(expected_elements_type=TLeaf)
    one = gokart.TaskInstanceParameter(default=TLeaf(v=42))


class TListInsignificant(gokart.TaskOnKart):
    tasks = gokart.ListTaskInstanceParameter(significant=False)


class TInsignificantParam(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter(significant=False)
    x = luigi.IntParameter(default=0)


class TWithRequires(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter()

    def requires(self):
        return {'child': self.child, 'extra': TLeaf(v=99)}


CASES = {
    'tp_one_leaf': lambda: TOne(child=TLeaf()),
    'tp_one_leaf_unicode_label': lambda: TOne(child=TLeaf(label='ラベル "q" \\')),
    'tp_one_ns_deep': lambda: TOne(child=TLeafNs(v=7)),
    'tp_nested_3_levels': lambda: TOne(child=TOne(child=TOne(child=TLeaf(v=3)))),
    'tp_nested_4_levels_mixed': lambda: TOne(
        child=TTwo(left=TOne(child=TLeafNs()), right=TLeaf(v=2), note='deep'),
    ),
    'tp_two_same_child': lambda: TTwo(left=TLeaf(), right=TLeaf()),
    'tp_child_insignificant_task': lambda: TOne(child=TLeaf(v=5, significant=False)),
    'tp_param_insignificant': lambda: TInsignificantParam(child=TLeaf(v=5)),
    'tp_param_and_child_insignificant': lambda: TInsignificantParam(child=TLeaf(v=5, significant=False)),
    'tp_child_visibility': lambda: TOne(child=TLeafVisibility()),
    'tp_child_visibility_changed_private': lambda: TOne(child=TLeafVisibility(private='y', insignificant='j')),
    'tp_child_awkward_param_names': lambda: TOne(child=TLeafAwkwardNames()),
    'tp_child_builtin_params_set': lambda: TOne(child=TLeaf(workspace_directory='./elsewhere/', rerun=True)),
    'tp_list_empty': lambda: TList(tasks=[]),
    'tp_list_mixed_namespaces': lambda: TList(tasks=[TLeaf(), TLeafNs(), TOne(child=TLeaf(v=2))]),
    'tp_list_nested_lists': lambda: TList(tasks=[TList(tasks=[TLeaf(v=1)]), TList(tasks=[])]),
    'tp_list_with_insignificant_element': lambda: TList(tasks=[TLeaf(v=1, significant=False), TLeaf(v=2)]),
    'tp_list_typed_and_default_child': lambda: TListTyped(tasks=[TLeaf(v=1)]),
    'tp_list_param_insignificant': lambda: TListInsignificant(tasks=[TLeaf(v=1), TLeafNs(v=2)]),
    'tp_with_explicit_requires': lambda: TWithRequires(child=TLeafNs(v=4)),
}
