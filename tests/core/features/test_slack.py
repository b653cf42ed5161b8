import logging
import os
from unittest import mock

import luigi
import pytest

import gokart.slack
from gokart.slack import EventAggregator, SlackAPI, SlackConfig

WEBCLIENT = 'gokart.slack.slack_api.slack_sdk.WebClient'


def _api(pages, channel='b', to_user='u'):
    with mock.patch(WEBCLIENT) as web_client:
        web_client.return_value.conversations_list.return_value = pages
        api = SlackAPI(token='tok', channel=channel, to_user=to_user)
    return api, web_client


def test_finds_channel_across_pages_and_mentions_user():
    api, web_client = _api([{'channels': [{'name': 'a', 'id': '1'}]}, {'channels': [{'name': 'b', 'id': '2'}]}])
    web_client.assert_called_once_with(token='tok')
    web_client.return_value.conversations_list.assert_called_once_with(params={'exclude_archived': True, 'limit': 100})
    web_client.return_value.api_call.return_value = {'ok': True}
    api.send_snippet(comment='c', title='t', content='x')
    web_client.return_value.api_call.assert_called_once_with(
        'files.upload', data={'channels': '2', 'initial_comment': '<@u> c', 'content': 'x', 'title': 't'}
    )


def test_without_user_the_comment_is_plain():
    api, web_client = _api([{'channels': [{'name': 'b', 'id': '2'}]}], to_user='')
    web_client.return_value.api_call.return_value = {'ok': True}
    api.send_snippet(comment='c', title='t', content='x')
    assert web_client.return_value.api_call.call_args.kwargs['data']['initial_comment'] == 'c'


@pytest.mark.parametrize(
    ('pages', 'message'),
    [
        ([{'channels': [{'name': 'a', 'id': '1'}]}], 'Channel b is not found in public channels.'),
        ([{'channels': [{'name': 'a', 'id': '1'}]}, {}], 'Channel list is empty.'),
    ],
)
def test_channel_lookup_failures_only_warn(caplog, pages, message):
    with caplog.at_level(logging.WARNING, logger='gokart.slack.slack_api'):
        api, _ = _api(pages)
    assert api._channel_id is None
    assert caplog.messages == [f'The job will start without slack notification: {message}']


def test_upload_failures_only_warn(caplog):
    api, web_client = _api([{'channels': [{'name': 'b', 'id': '2'}]}])
    web_client.return_value.api_call.return_value = {'ok': False, 'error': 'bad'}
    with caplog.at_level(logging.WARNING, logger='gokart.slack.slack_api'):
        api.send_snippet(comment='c', title='t', content='x')
        web_client.return_value.api_call.side_effect = ValueError('boom')
        api.send_snippet(comment='c', title='t', content='x')
    assert caplog.messages == [
        'Failed to send slack notification: Error while uploading file. The error reason is "bad".',
        'Failed to send slack notification: boom',
    ]


def test_error_classes_are_runtime_errors():
    for cls in (
        gokart.slack.ChannelListNotLoadedError,
        gokart.slack.ChannelNotFoundError,
        gokart.slack.FileNotUploadedError,
    ):
        assert issubclass(cls, RuntimeError)


def test_slack_config_defaults_and_section():
    config = SlackConfig()
    assert (config.token_name, config.channel, config.to_user, config.send_tree_info) == ('SLACK_TOKEN', '', '', False)
    luigi.configuration.get_config().set('SlackConfig', 'channel', 'general')
    luigi.task_register.Register.clear_instance_cache()
    assert SlackConfig().channel == 'general'


class _Fake:
    def __init__(self, uid):
        self.uid = uid

    def make_unique_id(self):
        return self.uid


def test_event_aggregator_texts():
    aggregator = EventAggregator()
    assert aggregator.get_summary() == 'Success: 0; Failure: 0'
    assert aggregator.get_event_list() == 'Tasks were not executed.'
    aggregator._success(_Fake('s1'))
    assert aggregator.get_event_list() == os.linesep.join(['---- Success Tasks ----', '_Fake:[s1]'])
    aggregator._failure(_Fake('f1'), ValueError('boom', 2))
    aggregator._failure(_Fake('f2'), ValueError('bad'))
    assert aggregator.get_summary() == 'Success: 1; Failure: 2'
    n = os.linesep
    assert aggregator.get_event_list() == (
        f"---- Failure Tasks ----{n}Task: _Fake:[f1]; Exception: ('boom', 2){n}Task: _Fake:[f2]; Exception: bad"
        f'---- Success Tasks ----{n}_Fake:[s1]'
    )


def test_event_aggregator_hooks_luigi_events(monkeypatch):
    monkeypatch.setattr(luigi.Task, '_event_callbacks', {})
    aggregator = EventAggregator()
    aggregator.set_handlers()

    class Ok(luigi.Task):
        def make_unique_id(self):
            return 'u1'

        def run(self):
            self.done = True

        def complete(self):
            return getattr(self, 'done', False)

    class Bad(Ok):
        def make_unique_id(self):
            return 'u2'

        def run(self):
            raise ValueError('boom')

    luigi.build([Ok(), Bad()], local_scheduler=True, log_level='CRITICAL')
    assert aggregator.get_summary() == 'Success: 1; Failure: 1'
    assert aggregator._success_events == ['Ok:[u1]']
    assert aggregator._failure_events == [{'task': 'Bad:[u2]', 'exception': 'boom'}]
