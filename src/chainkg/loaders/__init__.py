"""Loaders: readers by file type (CSV, XLSX, YAML, JSON) and validation into typed records."""

from .dataset import DEFAULT_DATASET, bundled_datasets, resolve_dataset
from .read import load_valid, read_dataset
from .validate import ValidationReport

__all__ = ["DEFAULT_DATASET", "ValidationReport", "bundled_datasets", "load_valid", "read_dataset",
           "resolve_dataset"]
