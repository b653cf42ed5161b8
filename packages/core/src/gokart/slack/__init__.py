"""Slack notification of ``gokart.run`` results."""

from gokart.slack.event_aggregator import EventAggregator
from gokart.slack.slack_api import ChannelListNotLoadedError, ChannelNotFoundError, FileNotUploadedError, SlackAPI
from gokart.slack.slack_config import SlackConfig

__all__ = [
    'ChannelListNotLoadedError',
    'ChannelNotFoundError',
    'EventAggregator',
    'FileNotUploadedError',
    'SlackAPI',
    'SlackConfig',
]
