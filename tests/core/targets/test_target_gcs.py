"""GCS targets with luigi.contrib.gcs.GCSClient mocked, and the object-metadata labels."""

from __future__ import annotations

import io
import json
import sys
from datetime import datetime, timezone
from unittest import mock

import luigi.contrib.gcs
import pytest

from gokart.gcs_config import GCSConfig
from gokart.gcs_obj_metadata_client import GCSObjectMetadataClient as Client
from gokart.object_storage import ObjectStorage
from gokart.required_task_output import RequiredTaskOutput
from gokart.target import make_target


class FakeObjects:
    """The googleapiclient `objects()` resource, backed by a dict of metadata."""

    def __init__(self):
        self.metadata: dict[str, dict] = {}
        self.patches: list[dict] = []
        self.updated = '2024-01-02T03:04:05.678Z'

    def get(self, bucket, object):
        return mock.Mock(execute=lambda: {'metadata': dict(self.metadata.get(object, {})), 'updated': self.updated})

    def patch(self, bucket, object, body):
        def execute():
            self.patches.append(body)
            self.metadata[object] = {
                k: v for k, v in {**self.metadata.get(object, {}), **body['metadata']}.items() if v is not None
            }

        return mock.Mock(execute=execute)


class FakeGCSClient:
    """Enough of luigi's GCSClient for GCSTarget reads/writes, kept in memory."""

    def __init__(self, oauth_credentials=None):
        self.oauth_credentials = oauth_credentials
        self.blobs: dict[str, bytes] = {}
        self.objects_resource = FakeObjects()
        self.client = mock.Mock(objects=lambda: self.objects_resource)

    def _path_to_bucket_and_key(self, path):
        bucket, _, key = path[len('gs://') :].partition('/')
        return bucket, key

    def exists(self, path):
        return path in self.blobs

    def put(self, filename, dest_path, mimetype=None, chunksize=None):
        with open(filename, 'rb') as f:
            self.blobs[dest_path] = f.read()

    def download(self, path, chunksize=None, chunk_callback=None):
        return io.BytesIO(self.blobs[path])

    def remove(self, path, recursive=True):
        self.blobs.pop(path, None)


@pytest.fixture
def gcs(monkeypatch):
    monkeypatch.delenv('GCS_CREDENTIAL', raising=False)
    fake = FakeGCSClient()
    with mock.patch('luigi.contrib.gcs.GCSClient', return_value=fake) as cls:
        yield fake
    assert cls.call_args.kwargs == {'oauth_credentials': None}


def test_round_trip_and_labels(gcs):
    target = make_target('gs://bkt/dir/obj.pkl', unique_id='u')
    assert isinstance(target._target, luigi.contrib.gcs.GCSTarget)
    target.dump(
        {'a': 1},
        task_params={'p': '1', 'empty': ''},
        custom_labels={'owner': 'me', 'p': 'custom wins'},
        required_task_outputs=[RequiredTaskOutput('A', 'gs://bkt/a.pkl')],
    )
    assert target.exists() and target.load() == {'a': 1}
    assert gcs.objects_resource.metadata['dir/obj_u.pkl'] == {
        'owner': 'me',
        'p': 'custom wins',
        '__required_task_outputs': json.dumps([{'__gokart_task_name': 'A', '__gokart_output_path': 'gs://bkt/a.pkl'}]),
    }


def test_unchanged_labels_are_not_patched_again(gcs):
    target = make_target('gs://bkt/x.pkl')
    target.dump(1, task_params={'p': '1'})
    target.dump(2, task_params={'p': '1'}, lock_at_dump=False)
    assert len(gcs.objects_resource.patches) == 1


def test_log_files_get_no_labels(gcs):
    make_target('gs://bkt/ws/log/task_log/A.pkl').dump({}, task_params={'p': '1'})
    assert gcs.objects_resource.patches == []


def test_last_modification_time_is_an_aware_datetime(gcs):
    # docs/compat.md Q12: upstream returned the API's string
    target = make_target('gs://bkt/x.pkl')
    target.dump(1)
    assert target.last_modification_time() == datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=timezone.utc)
    with pytest.raises(FileNotFoundError):
        make_target('gs://bkt/none.pkl').last_modification_time()


def test_exists_and_zip_client_dispatch(gcs, tmp_path):
    from gokart.gcs_zip_client import GCSZipClient

    assert ObjectStorage.if_object_storage_path('gs://b/x') and not ObjectStorage.if_object_storage_path('/x')
    assert isinstance(ObjectStorage.get_zip_client('gs://b/x.zip', str(tmp_path)), GCSZipClient)
    assert ObjectStorage.exists('gs://b/x') is False


def test_model_target_on_gcs(gcs, tmp_path):
    import pickle

    from gokart.target import make_model_target

    def save(obj, path):
        with open(path, 'wb') as f:
            pickle.dump(obj, f)

    def load(path):
        with open(path, 'rb') as f:
            return pickle.load(f)

    target = make_model_target('gs://bkt/m.zip', str(tmp_path / 't'), save, load)
    target.dump([1, 2])
    assert list(gcs.blobs) == ['gs://bkt/m.zip']
    assert target.load() == [1, 2]
    target.remove()
    assert not target.exists()


def test_credentials_from_json_text_or_file(monkeypatch, tmp_path):
    from google.oauth2 import service_account

    info = {'type': 'service_account', 'client_email': 'a@b.c', 'token_uri': 'https://x', 'private_key': 'k'}
    with mock.patch.object(
        service_account.Credentials, 'from_service_account_info', return_value='from-info'
    ) as from_info:
        monkeypatch.setenv('GCS_CREDENTIAL', json.dumps(info))
        assert GCSConfig()._load_oauth_credentials() == 'from-info'
    from_info.assert_called_once_with(info)
    key_file = tmp_path / 'key.json'
    key_file.write_text(json.dumps(info))
    with mock.patch.object(
        service_account.Credentials, 'from_service_account_file', return_value='from-file'
    ) as from_file:
        monkeypatch.setenv('GCS_CREDENTIAL', str(key_file))
        assert GCSConfig()._load_oauth_credentials() == 'from-file'
    from_file.assert_called_once_with(str(key_file))


def test_client_is_cached_and_patchable(gcs):
    config = GCSConfig()
    assert config.get_gcs_client() is config.get_gcs_client() is config._client is gcs
    with mock.patch.object(GCSConfig, '_get_gcs_client', return_value='patched'):
        assert GCSConfig(gcs_credential_name='OTHER').get_gcs_client() == 'patched'


def test_missing_google_libraries_give_an_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, 'googleapiclient.discovery', None)
    with pytest.raises(ImportError, match=r'pip install gokart\[gcs\]'):
        GCSConfig(gcs_credential_name='FRESH').get_gcs_client()


# --- label helpers -----------------------------------------------------------------------------------


def test_normalize_labels_stringifies():
    assert Client._normalize_labels({'a': 1, 'b': None, 'd': [1]}) == {'a': '1', 'b': 'None', 'd': '[1]'}
    assert Client._normalize_labels(None) == {}


def test_patched_metadata_order_duplicates_and_empties():
    original = {'old': 'v', 'p': 'orig'}
    patched = Client._get_patched_obj_metadata(
        original,
        task_params={'p': '1', 'e': '', 'dup': 'tp'},
        custom_labels={'dup': 'cl', 'z': ''},
        required_task_outputs=[RequiredTaskOutput('A', 'gs://b/a.pkl'), {'k': RequiredTaskOutput('B', 'gs://b/b.pkl')}],
    )
    assert patched == {
        'old': 'v',
        'p': '1',
        'dup': 'cl',
        '__required_task_outputs': '[{"__gokart_task_name": "A", "__gokart_output_path": "gs://b/a.pkl"}, '
        '{"k": {"__gokart_task_name": "B", "__gokart_output_path": "gs://b/b.pkl"}}]',
    }
    assert original == {'old': 'v', 'p': 'orig'}
    assert Client._get_patched_obj_metadata({}, required_task_outputs=[]) == {}
    assert Client._get_patched_obj_metadata('not a dict', task_params={'p': '1'}) == 'not a dict'


def test_metadata_is_trimmed_from_the_end_to_the_size_limit():
    labels = {'a' * 5000: 'x', 'b' * 4000: 'y', 'c': 'z'}
    assert Client._adjust_gcs_metadata_limit_size(labels) == {'a' * 5000: 'x'}
    assert Client._adjust_gcs_metadata_limit_size({'a': 'x'}) == {'a': 'x'}


def test_makepatch_lists_changes():
    assert Client._makepatch({'a': 1, 'b': 2}, {'a': 1, 'b': 3, 'c': 4}) == {'b': 3, 'c': 4}


@pytest.mark.parametrize(
    ('path', 'expected'),
    [
        ('gs://b/x/log/task_log/A.pkl', True),
        ('gs://b/log/task_params/A.pkl', True),
        ('gs://b/a/log/task_info/x.txt', True),
        ('gs://b/x/log/other/A.pkl', False),
        ('gs://b/xlog/task_log/a.pkl', False),
        ('gs://log/task_log/a', False),
    ],
)
def test_log_path_detection(path, expected):
    assert Client._is_log_related_path(path) is expected
