"""requires() shapes, flattened as in gokart 1.12.2: single, list, tuple, dict, nested, generator, None, luigi tasks."""

import luigi
from luigi.parameter import ParameterVisibility

import gokart


class DLeaf(gokart.TaskOnKart):
    k = luigi.IntParameter(default=0)


class DPlain(luigi.Task):
    a = luigi.Parameter(default='pa')
    hidden = luigi.Parameter(default='ph', visibility=ParameterVisibility.HIDDEN)
    private = luigi.Parameter(default='pp', visibility=ParameterVisibility.PRIVATE)
    insignificant = luigi.Parameter(default='pi', significant=False)


class DExternal(luigi.ExternalTask):
    path = luigi.Parameter(default='/data/raw.csv')
    n = luigi.IntParameter(default=3)


class DWrapper(luigi.WrapperTask):
    def requires(self):
        return [DLeaf(k=1)]


class DSingle(gokart.TaskOnKart):
    def requires(self):
        return DLeaf(k=1)


class DList(gokart.TaskOnKart):
    def requires(self):
        return [DLeaf(k=1), DLeaf(k=2), DLeaf(k=1)]  # duplicates count twice


class DTuple(gokart.TaskOnKart):
    def requires(self):
        return (DLeaf(k=3), DLeaf(k=2))


class DDict(gokart.TaskOnKart):
    def requires(self):
        return {'z': DLeaf(k=1), 'a': DLeaf(k=2)}  # insertion order, not key order


class DNested(gokart.TaskOnKart):
    def requires(self):
        return {'x': [DLeaf(k=1), (DLeaf(k=2), {'y': DLeaf(k=3)})], 'w': {'v': [[DLeaf(k=4)]]}, 'n': None}


class DGenerator(gokart.TaskOnKart):
    def requires(self):
        for k in (5, 6):
            yield DLeaf(k=k)


class DNone(gokart.TaskOnKart):
    def requires(self):
        return None


class DEmpty(gokart.TaskOnKart):
    def requires(self):
        return []


class DPlainLuigi(gokart.TaskOnKart):
    def requires(self):
        return {'plain': DPlain(), 'leaf': DLeaf()}


class DPlainLuigiSet(gokart.TaskOnKart):
    def requires(self):
        return DPlain(a='x', hidden='y', private='z', insignificant='w')


class DExternalOnly(gokart.TaskOnKart):
    def requires(self):
        return DExternal(path='/other', n=4)


class DWithWrapper(gokart.TaskOnKart):
    def requires(self):
        return [DWrapper(), DLeaf()]


class DInsignificantChildren(gokart.TaskOnKart):
    def requires(self):
        return [DLeaf(k=1, significant=False), DLeaf(k=2), {'q': DLeaf(k=3, significant=False)}]


class DChain1(gokart.TaskOnKart):
    def requires(self):
        return DLeaf(k=10)


class DChain2(gokart.TaskOnKart):
    def requires(self):
        return DChain1()


class DChain3(gokart.TaskOnKart):
    def requires(self):
        return DChain2()


class DChain4(gokart.TaskOnKart):
    x = luigi.Parameter(default='top')

    def requires(self):
        return {'c3': DChain3(), 'c1': DChain1()}


class DReturnsString(gokart.TaskOnKart):
    def requires(self):
        return 'not a task'


class DReturnsInt(gokart.TaskOnKart):
    def requires(self):
        return [DLeaf(), 7]


class DOverridesDefault(gokart.TaskOnKart):
    child = gokart.TaskInstanceParameter()

    def requires(self):
        return [DLeaf(k=9)]  # replaces the default requires: the child id no longer enters


CASES = {
    'deps_single': lambda: DSingle(),
    'deps_list_with_duplicate': lambda: DList(),
    'deps_tuple': lambda: DTuple(),
    'deps_dict_insertion_order': lambda: DDict(),
    'deps_nested_structure': lambda: DNested(),
    'deps_generator': lambda: DGenerator(),
    'deps_none': lambda: DNone(),
    'deps_empty_list': lambda: DEmpty(),
    'deps_plain_luigi_visibility': lambda: DPlainLuigi(),
    'deps_plain_luigi_set': lambda: DPlainLuigiSet(),
    'deps_external_task': lambda: DExternalOnly(),
    'deps_wrapper_task': lambda: DWithWrapper(),
    'deps_insignificant_children': lambda: DInsignificantChildren(),
    'deps_chain_depth4': lambda: DChain4(),
    'deps_chain_depth4_param': lambda: DChain4(x='other'),
    'deps_error_string': lambda: DReturnsString(),
    'deps_error_int': lambda: DReturnsInt(),
    'deps_override_default_requires': lambda: DOverridesDefault(child=DLeaf(k=1)),
}
