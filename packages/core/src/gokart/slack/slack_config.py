"""``[SlackConfig]``: where run reports go."""

from __future__ import annotations

import luigi

__all__ = ['SlackConfig']


class SlackConfig(luigi.Config):
    token_name = luigi.Parameter(
        default='SLACK_TOKEN', description='name of the environment variable holding the token'
    )
    channel = luigi.Parameter(default='', description='channel name to report to')
    to_user = luigi.Parameter(default='', description='user to mention in the report')
    send_tree_info = luigi.BoolParameter(default=False, description='attach the detailed task tree to the report')
