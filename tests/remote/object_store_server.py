"""A moto S3 server on loopback that counts the requests it answers, started as its own process.

    python tests/remote/object_store_server.py [--port 0] [--deny-list]

Prints `READY <port>` once it listens. `GET /_counts` answers the counts so far as JSON
({kind: n}; kinds: head, get, marker_get, list, put, delete, other) and `POST /_counts/reset` zeroes them;
neither is counted. `--deny-list` answers every listing with 403 AccessDenied, as a bucket policy without
s3:ListBucket does. Used by tests/remote and benchmarks/remote (the benchmarks run it by path).
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from urllib.parse import parse_qs

_DENIED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message>'
    b'<RequestId>0</RequestId></Error>'
)


def _kind(method: str, path: str, query: dict[str, list[str]]) -> str:
    parts = path.lstrip('/').split('/', 1)
    has_key = len(parts) == 2 and parts[1] != ''
    if method == 'GET' and (not has_key or 'list-type' in query or 'prefix' in query):
        return 'list'
    if method == 'GET':
        return 'marker_get' if parts[1].endswith(('/', '_$folder$')) else 'get'
    return {'HEAD': 'head', 'PUT': 'put', 'DELETE': 'delete'}.get(method, 'other')


class Counting:
    """WSGI middleware: counts each request by kind, then hands it to moto."""

    def __init__(self, app, deny_list: bool) -> None:
        self.app = app
        self.deny_list = deny_list
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        method = environ['REQUEST_METHOD']
        if path.startswith('/_counts'):
            with self.lock:
                if method == 'POST':
                    self.counts = {}
                body = json.dumps(self.counts).encode()
            start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
            return [body]
        kind = _kind(method, path, parse_qs(environ.get('QUERY_STRING', '')))
        with self.lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
        if kind == 'list' and self.deny_list and path.strip('/'):
            start_response(
                '403 Forbidden', [('Content-Type', 'application/xml'), ('Content-Length', str(len(_DENIED)))]
            )
            return [_DENIED]
        return self.app(environ, start_response)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--deny-list', action='store_true')
    args = parser.parse_args()
    from moto.server import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server

    app = Counting(DomainDispatcherApplication(create_backend_app), args.deny_list)
    server = make_server('127.0.0.1', args.port, app, threaded=True)
    print(f'READY {server.server_address[1]}', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    sys.exit(main())
