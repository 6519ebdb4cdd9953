"""Turn Chinese government information-disclosure annual reports (PDF) into a Parquet dataset.

The API (api.py): `ingest` a folder, `process_file` one file, `open_dataset` to read the tables.
"""

from pipeline.api import Dataset, ingest, open_dataset
from pipeline.core.config import VERSION as __version__
from pipeline.core.config import ReadOptions, RunOptions
from pipeline.process import process_file

__all__ = ["Dataset", "ReadOptions", "RunOptions", "__version__", "ingest", "open_dataset", "process_file"]
