"""TaskOnKart's built-in parameters set by callers: workspace, significance of the task itself, seeds, redis."""

import luigi

import gokart


class BuiltinTask(gokart.TaskOnKart):
    x = luigi.IntParameter(default=1)


class BuiltinParent(gokart.TaskOnKart):
    def requires(self):
        return [BuiltinTask(x=1, significant=False), BuiltinTask(x=2, workspace_directory='./other/')]


class BuiltinOutputOverride(gokart.TaskOnKart):
    def output(self):
        return self.make_target('custom/out.csv')


class BuiltinOutputNoId(gokart.TaskOnKart):
    def output(self):
        return self.make_target('custom/fixed.txt', use_unique_id=False)


CASES = {
    'builtin_workspace_relative': lambda: BuiltinTask(workspace_directory='./other/'),
    'builtin_workspace_no_trailing_slash': lambda: BuiltinTask(workspace_directory='ws'),
    'builtin_workspace_absolute': lambda: BuiltinTask(workspace_directory='/abs/ws/'),
    'builtin_task_insignificant': lambda: BuiltinTask(significant=False),
    'builtin_many_flags': lambda: BuiltinTask(
        rerun=True,
        strict_check=True,
        modification_time_check=True,
        delete_unnecessary_output_files=True,
        fix_random_seed_methods=['random.seed'],
        fix_random_seed_value=7,
        redis_host='localhost',
        redis_port=6379,
        redis_timeout=60,
        fail_on_empty_dump=True,
        store_index_in_feather=False,
        cache_unique_id=False,
        should_dump_supplementary_log_files=False,
        complete_check_at_run=False,
        should_lock_run=True,
        local_temporary_directory='/tmp/gk/',
    ),
    'builtin_parent_of_modified_children': lambda: BuiltinParent(),
    'builtin_output_override_csv': lambda: BuiltinOutputOverride(),
    'builtin_output_no_unique_id': lambda: BuiltinOutputNoId(),
}
