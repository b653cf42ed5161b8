"""Per-namespace column type checks applied by ``TaskOnKart.dump`` to DataFrames."""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any

import luigi
from luigi.task_register import Register

from gokart._lazy import loaded, module_getattr
from gokart.errors import PandasTypeError

if TYPE_CHECKING:
    import pandas as pd

__getattr__, __dir__ = module_getattr(__name__, {'pd': 'pandas'})

__all__ = ['PandasTypeConfig', 'PandasTypeConfigMap', 'PandasTypeError']


class PandasTypeConfig(luigi.Config):
    """Subclass it, set ``task_namespace`` and return ``{column: type}`` from ``type_dict``."""

    @classmethod
    @abstractmethod
    def type_dict(cls) -> dict[str, Any]:
        pass

    @classmethod
    def check(cls, df: pd.DataFrame) -> None:
        for column, expected in cls.type_dict().items():
            if column not in df.columns:
                continue
            # iterating a Series boxes numpy scalars into Python ones, which is what users list in type_dict
            for value in df[column]:
                if not isinstance(value, expected):
                    raise PandasTypeError(
                        f'expected type is "{expected}", but "{type(value)}" is passed in column "{column}".'
                    )


class PandasTypeConfigMap(luigi.Config):
    """namespace -> PandasTypeConfig subclass; a luigi.Config, so luigi's instance cache builds it once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._map = {
            cls.task_namespace: cls
            for cls in Register._get_reg().values()
            # The abstract base shares the 'no namespace' key with plain tasks; it declares no types.
            if isinstance(cls, type) and issubclass(cls, PandasTypeConfig) and cls is not PandasTypeConfig
        }

    def check(self, obj: Any, task_namespace: str) -> None:
        config = self._map.get(task_namespace)
        pandas = loaded('pandas')  # no DataFrame exists before pandas is imported
        if config is not None and pandas is not None and isinstance(obj, pandas.DataFrame):
            config.check(obj)
