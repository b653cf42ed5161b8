"""Parameter visibility (HIDDEN / PRIVATE) and significant=False: which of id, str, repr and task_id see them."""

import luigi
from luigi.parameter import ParameterVisibility

import gokart


class VisMix(gokart.TaskOnKart):
    public = luigi.Parameter(default='pub')
    hidden = luigi.Parameter(default='hid', visibility=ParameterVisibility.HIDDEN)
    private = luigi.Parameter(default='prv', visibility=ParameterVisibility.PRIVATE)
    insignificant = luigi.Parameter(default='ins', significant=False)
    hidden_insignificant = luigi.IntParameter(default=5, visibility=ParameterVisibility.HIDDEN, significant=False)


class VisOnlyHidden(gokart.TaskOnKart):
    secret = luigi.Parameter(default='s3cr3t', visibility=ParameterVisibility.HIDDEN)


class VisOnlyPrivate(gokart.TaskOnKart):
    secret = luigi.Parameter(default='s3cr3t', visibility=ParameterVisibility.PRIVATE)


class VisOnlyInsignificant(gokart.TaskOnKart):
    note = luigi.Parameter(default='anything', significant=False)


CASES = {
    'vis_mix_default': lambda: VisMix(),
    'vis_mix_set': lambda: VisMix(public='P', hidden='H', private='X', insignificant='I', hidden_insignificant=9),
    'vis_only_hidden': lambda: VisOnlyHidden(),
    'vis_only_private': lambda: VisOnlyPrivate(),
    'vis_only_private_changed': lambda: VisOnlyPrivate(secret='other'),
    'vis_only_insignificant': lambda: VisOnlyInsignificant(),
    'vis_only_insignificant_changed': lambda: VisOnlyInsignificant(note='changed'),
}
