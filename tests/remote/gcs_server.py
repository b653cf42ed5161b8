"""gcp-storage-emulator with GCS's generation preconditions, run as its own process by tests/remote/conftest.py.

    python gcs_server.py PORT

Two differences from GCS are mended here, as GCS documents the JSON API:
- The emulator ignores `ifGenerationMatch`, so a second create with `ifGenerationMatch=0` succeeded, and the
  object-store run lease (docs/compat.md Q51) could not be tested on it. An upload or delete that names
  `ifGenerationMatch=N` is answered 412 Precondition Failed unless the object is at generation N (0: the
  object must not exist). The emulator serves one request at a time, so check and write are atomic.
- A simple (`uploadType=media`) upload's body is the object's bytes whatever its type, where the emulator
  parsed a JSON body into a value and failed on an empty one (luigi then retried each empty log file).
Requests are logged to stderr as the emulator logs them (the tests count them).
"""

from __future__ import annotations

import logging
import sys
from http import HTTPStatus

from gcp_storage_emulator.exceptions import NotFound
from gcp_storage_emulator.handlers import objects


def _generation(storage, bucket: str, name: str) -> int:
    try:
        return int(storage.get_file_obj(bucket, name)['generation'])
    except NotFound:
        return 0


def _uploaded_name(request) -> str | None:
    if 'name' in request.query:
        return request.query['name'][0]
    data = request.data
    if isinstance(data, dict) and isinstance(data.get('meta'), dict):
        return data['meta'].get('name')
    return None


def _guarded(handler, name_of):
    def guarded(request, response, storage, *args, **kwargs):
        wanted = request.query.get('ifGenerationMatch')
        name = name_of(request) if wanted else None
        if wanted and name is not None:
            current = _generation(storage, request.params['bucket_name'], name)
            if current != int(wanted[0]):
                response.status = HTTPStatus.PRECONDITION_FAILED
                message = f'ifGenerationMatch={wanted[0]} but {name} is at generation {current}'
                response.json({'error': {'code': 412, 'message': message, 'errors': [{'reason': 'conditionNotMet'}]}})
                return None
        return handler(request, response, storage, *args, **kwargs)

    return guarded


def _raw_body(upload):
    def media_upload(request, response, storage):
        from gcp_storage_emulator import server

        if request._data is server._UNSET:
            handler = request._request_handler
            request._data = server._decode_raw_data(server._read_raw_data(handler), handler) or b''
        return upload(request, response, storage)

    return media_upload


def main(port: str) -> None:
    logging.basicConfig(level=logging.INFO, format='%(message)s')  # each request's line, as the emulator's CLI
    objects._media_upload = _raw_body(objects._media_upload)
    # Before the server module is imported: its routing table holds these functions.
    objects.insert = _guarded(objects.insert, _uploaded_name)
    objects.delete = _guarded(objects.delete, lambda request: request.params['object_id'])
    from gcp_storage_emulator.server import create_server

    create_server('127.0.0.1', int(port), in_memory=True).run()


if __name__ == '__main__':
    main(sys.argv[1])
