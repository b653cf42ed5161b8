"""Experimental in-process targets: outputs kept in a dict instead of files."""

from gokart.in_memory.repository import InMemoryCacheRepository
from gokart.in_memory.target import InMemoryTarget, make_in_memory_target

__all__ = ['InMemoryCacheRepository', 'InMemoryTarget', 'make_in_memory_target']
