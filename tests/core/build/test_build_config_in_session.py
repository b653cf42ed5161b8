"""Defaults read from luigi's config by tasks constructed inside a build (gokart._kart.resolve memoizes the
config object per build session): a get_config patched during the build still takes effect."""

from unittest import mock

import luigi
from luigi.configuration import LuigiConfigParser

import gokart

seen: list[str] = []


class CfgChild(gokart.TaskOnKart):
    value = luigi.Parameter(default='plain')


class CfgParent(gokart.TaskOnKart):
    def run(self):
        seen.append(CfgChild().value)
        config = LuigiConfigParser()
        config.add_section('CfgChild')
        config.set('CfgChild', 'value', 'patched')
        with mock.patch('luigi.configuration.get_config', return_value=config):
            seen.append(CfgChild().value)
        seen.append(CfgChild().value)
        self.dump(0)


def test_a_get_config_patched_during_a_build_takes_effect():
    seen.clear()
    gokart.build(CfgParent(), reset_register=False)
    assert seen == ['plain', 'patched', 'plain']
