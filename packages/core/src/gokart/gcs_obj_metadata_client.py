"""Task labels written into GCS object metadata after each dump."""

from __future__ import annotations

import copy
import json
import re
from logging import getLogger
from typing import Any, Final
from urllib.parse import urlsplit

from gokart._optional_deps import import_extra
from gokart.gcs_config import GCSConfig
from gokart.required_task_output import RequiredTaskOutput

logger = getLogger(__name__)

MAX_GCS_METADATA_SIZE: Final[int] = 8192

# supplementary log files of a task get no labels: they would only duplicate the output's
_LOG_PATH = re.compile(
    r'^gs://[^/]+/(?:.*/)?log/(?:processing_time|task_info|task_log|module_versions|random_seed|task_params)/'
)


class GCSObjectMetadataClient:
    MAX_GCS_METADATA_SIZE: Final[int] = MAX_GCS_METADATA_SIZE

    @staticmethod
    def _is_log_related_path(path: str) -> bool:
        return _LOG_PATH.match(path) is not None

    @staticmethod
    def _path_to_bucket_and_key(path: str) -> tuple[str, str]:
        parts = urlsplit(path)
        return parts.netloc, parts.path.lstrip('/')

    @staticmethod
    def _makepatch(original: dict[str, Any], modified: dict[str, Any]) -> dict[str, Any]:
        return import_extra('gcs', 'googleapiclient.model').makepatch(original, modified)

    @staticmethod
    def add_task_state_labels(
        path: str,
        task_params: dict[str, str] | None = None,
        custom_labels: dict[str, str] | None = None,
        required_task_outputs: Any = None,
    ) -> None:
        if GCSObjectMetadataClient._is_log_related_path(path):
            return
        service = GCSConfig().get_gcs_client().client
        bucket, obj = GCSObjectMetadataClient._path_to_bucket_and_key(path)
        response = service.objects().get(bucket=bucket, object=obj).execute()
        if response is None:
            logger.error(f'failed to get object metadata from GCS bucket {bucket} and object {obj}.')
            return
        original = dict(response.get('metadata') or {})
        patched = GCSObjectMetadataClient._get_patched_obj_metadata(
            copy.deepcopy(original),
            task_params=task_params,
            custom_labels=custom_labels,
            required_task_outputs=required_task_outputs,
        )
        if patched == original:
            return  # a PATCH costs a request and bumps the object's metageneration
        body = GCSObjectMetadataClient._makepatch({'metadata': original}, {'metadata': patched})
        service.objects().patch(bucket=bucket, object=obj, body=body).execute()

    @staticmethod
    def _normalize_labels(labels: dict[str, Any] | None) -> dict[str, str]:
        return {str(key): str(value) for key, value in labels.items()} if labels else {}

    @staticmethod
    def _get_patched_obj_metadata(
        metadata: Any,
        task_params: dict[str, str] | None = None,
        custom_labels: dict[str, str] | None = None,
        required_task_outputs: Any = None,
    ) -> dict[str, Any] | Any:
        if not isinstance(metadata, dict):
            logger.warning(
                f'metadata is not a dict: {metadata}, something wrong was happened when getting response when get bucket and object information.'
            )
            return metadata
        sources = [
            GCSObjectMetadataClient._normalize_labels(custom_labels),
            GCSObjectMetadataClient._normalize_labels(task_params),
        ]
        if required_task_outputs:
            serialized = GCSObjectMetadataClient._get_serialized_string(required_task_outputs)
            sources.append({'__required_task_outputs': json.dumps(serialized)})
        merged = GCSObjectMetadataClient._merge_custom_labels_and_task_params_labels(sources)
        return GCSObjectMetadataClient._adjust_gcs_metadata_limit_size(dict(metadata) | merged)

    @staticmethod
    def _get_serialized_string(required_task_outputs: Any) -> Any:
        """RequiredTaskOutput leaves serialized, the dict/list/tuple structure kept (tuples as lists, for JSON)."""
        serialize = GCSObjectMetadataClient._get_serialized_string
        if isinstance(required_task_outputs, dict):
            return {key: serialize(value) for key, value in required_task_outputs.items()}
        if isinstance(required_task_outputs, (list, tuple)):
            return [serialize(value) for value in required_task_outputs]
        if isinstance(required_task_outputs, RequiredTaskOutput):
            return required_task_outputs.serialize()
        return required_task_outputs

    @staticmethod
    def _merge_custom_labels_and_task_params_labels(normalized_labels_list: list[dict[str, str]]) -> dict[str, str]:
        merged: dict[str, str] = {}
        for labels in normalized_labels_list:
            for name, value in labels.items():
                if not value:
                    logger.warning(f'value of label_name={name} is empty. So skip to add as a metadata.')
                    continue
                if name in merged:
                    logger.warning(f'label_name={name} is already seen. So skip to add as metadata.')
                    continue
                merged[name] = value
        return merged

    @staticmethod
    def _adjust_gcs_metadata_limit_size(_labels: dict[str, str]) -> dict[str, str]:
        """Drop labels from the end until keys and values fit GCS's 8 KiB metadata limit."""

        def size(name: str, value: str) -> int:
            return len(name.encode('utf-8')) + len(value.encode('utf-8'))

        labels = dict(_labels)
        total = sum(size(name, value) for name, value in labels.items())
        while total > MAX_GCS_METADATA_SIZE and labels:
            name, value = labels.popitem()
            total -= size(name, value)
            logger.warning(
                f'metadata label {name} is dropped: GCS metadata must be at most {MAX_GCS_METADATA_SIZE} bytes.'
            )
        return labels
