"""Failure e-mails through luigi.notifications, with the subjects and headlines of luigi's worker."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import TYPE_CHECKING

from luigi import notifications

if TYPE_CHECKING:
    from luigi.task import Task

__all__ = ['email_complete_error', 'email_dependency_error', 'email_task_failure', 'email_unexpected_error']

_HOST = socket.gethostname()


def _email(task: Task, formatted_traceback: str, subject: str, headline: str) -> None:
    command = subprocess.list2cmdline(sys.argv)
    message = notifications.format_task_error(
        headline.format(task=task, host=_HOST), task, command, formatted_traceback
    )
    notifications.send_error_email(subject.format(task=task, host=_HOST), message, task.owner_email)


def email_complete_error(task: Task, formatted_traceback: str, enabled: bool) -> None:
    if enabled:
        _email(
            task,
            formatted_traceback,
            'Luigi: {task} failed scheduling. Host: {host}',
            'Will not run {task} or any dependencies due to error in complete() method',
        )


def email_dependency_error(task: Task, formatted_traceback: str, enabled: bool) -> None:
    if enabled:
        _email(
            task,
            formatted_traceback,
            'Luigi: {task} failed scheduling. Host: {host}',
            'Will not run {task} or any dependencies due to error in deps() method',
        )


def email_unexpected_error(task: Task, formatted_traceback: str) -> None:
    # sent even when failure e-mails are off, as luigi does: it signals a framework error
    _email(
        task,
        formatted_traceback,
        'Luigi: Framework error while scheduling {task}. Host: {host}',
        'Luigi framework error',
    )


def email_task_failure(task: Task, formatted_traceback: str, enabled: bool) -> None:
    if enabled:
        _email(
            task,
            formatted_traceback,
            'Luigi: {task} FAILED. Host: {host}',
            'A task failed when running. Most likely run() raised an exception.',
        )
