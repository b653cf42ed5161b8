"""Writers for S3/GCS targets whose local scratch file is unique to the writer (docs/compat.md Q52).

luigi's AtomicS3File/AtomicGCSFile write to `<tmp>/luigi-s3-tmp-<random.randrange(...)>` before uploading.
gokart seeds `random` per task, so processes on one host running the same task (run locks, leases) draw
the same name and write, upload and delete one scratch file at the same time: an output uploaded with a
log file's bytes, or a PUT whose body shrinks under it. These writers keep luigi's one draw from `random`
(seeded code sees the same state, Q26) but name the file by `_tempfiles`, unique per process and write.
What lands on the bucket is unchanged.

They also tell the build what they uploaded (its md5 and size, gokart/_targets/listing.py) and keep a copy in
the local read cache (docs/compat.md Q53), so that reading it back, in this build or a later one on this
machine, needs no GET.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from gokart import _tempfiles
from gokart._targets import listing, object_cache

__all__ = ['open_for_writing']

_classes: dict[type, type] = {}


def _unique_writer(base: type) -> type:
    found = _classes.get(base)
    if found is None:

        def generate_tmp_path(self: Any, path: str) -> str:
            _tempfiles.draw()
            return _tempfiles.temporary_path(os.path.join(tempfile.gettempdir(), 'luigi-s3-tmp'))

        def move_to_final_destination(self: Any) -> None:
            config = None if object_cache.skipping() else object_cache.settings()
            size = os.path.getsize(self.tmp_path)
            data = None
            if config is not None and size <= config.max_object_size:
                with open(self.tmp_path, 'rb') as f:
                    data = f.read()
            base.move_to_final_destination(self)  # type: ignore[attr-defined]
            md5 = object_cache.store(data, config) if data is not None else None
            listing.record_uploaded(self.path, md5, size)

        found = _classes[base] = type(
            base.__name__,
            (base,),
            {'generate_tmp_path': generate_tmp_path, 'move_to_final_destination': move_to_final_destination},
        )
    return found


def open_for_writing(target: Any) -> Any | None:
    """target.open('w') for a plain luigi S3Target/GCSTarget with a unique scratch file; else None."""
    kind = type(target)
    if kind.__module__ == 'luigi.contrib.s3' and kind.__name__ == 'S3Target':
        import luigi.contrib.s3

        writer = _unique_writer(luigi.contrib.s3.AtomicS3File)(target.path, target.fs, **target.s3_options)
        return target.format.pipe_writer(writer)
    if kind.__module__ == 'luigi.contrib.gcs' and kind.__name__ == 'GCSTarget':
        import luigi.contrib.gcs

        return target.format.pipe_writer(_unique_writer(luigi.contrib.gcs.AtomicGCSFile)(target.path, target.fs))
    return None
