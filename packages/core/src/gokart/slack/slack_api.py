"""Thin Slack client: resolve the channel once, then upload reports as snippets.

Slack problems must never stop a run, so every failure is logged as a warning and swallowed.
"""

from __future__ import annotations

import sys
from logging import getLogger
from typing import TYPE_CHECKING

from gokart._lazy import module_getattr

if TYPE_CHECKING:
    import slack_sdk  # noqa: F401  (the module attribute, for type checkers)

# a module attribute on purpose (tests patch gokart.slack.slack_api.slack_sdk.WebClient), imported on first use
__getattr__, __dir__ = module_getattr(__name__, {'slack_sdk': 'slack_sdk'})

__all__ = ['ChannelListNotLoadedError', 'ChannelNotFoundError', 'FileNotUploadedError', 'SlackAPI']

logger = getLogger(__name__)


class ChannelListNotLoadedError(RuntimeError):
    pass


class ChannelNotFoundError(RuntimeError):
    pass


class FileNotUploadedError(RuntimeError):
    pass


class SlackAPI:
    def __init__(self, token: str, channel: str, to_user: str) -> None:
        self._client = sys.modules[__name__].slack_sdk.WebClient(token=token)
        self._channel_id = self._get_channel_id(channel)
        self._to_user = f'@{to_user}' if to_user else ''

    def _get_channel_id(self, channel_name: str) -> str | None:
        try:
            # iterating a SlackResponse follows the pagination cursor page by page
            for page in self._client.conversations_list(params={'exclude_archived': True, 'limit': 100}):
                if not page:
                    raise ChannelListNotLoadedError('Channel list is empty.')
                for channel in page.get('channels', []):
                    if channel['name'] == channel_name:
                        return channel['id']
            raise ChannelNotFoundError(f'Channel {channel_name} is not found in public channels.')
        except Exception as e:
            logger.warning(f'The job will start without slack notification: {e}')
            return None

    def send_snippet(self, comment: str, title: str, content: str) -> None:
        initial_comment = f'<{self._to_user}> {comment}' if self._to_user else comment
        try:
            response = self._client.api_call(
                'files.upload',
                data={
                    'channels': self._channel_id,
                    'initial_comment': initial_comment,
                    'content': content,
                    'title': title,
                },
            )
            if not response['ok']:
                raise FileNotUploadedError(f'Error while uploading file. The error reason is "{response["error"]}".')
        except Exception as e:
            logger.warning(f'Failed to send slack notification: {e}')
