"""Loaders: readers by file type (CSV, XLSX, YAML, JSON) and the one validator, into typed records."""

from .dataset import DEFAULT_DATASET, bundled_datasets, resolve_dataset
from .read import load_valid, read_dataset

__all__ = ["DEFAULT_DATASET", "bundled_datasets", "load_valid", "read_dataset", "resolve_dataset"]
