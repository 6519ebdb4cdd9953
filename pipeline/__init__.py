"""Turn Chinese government information-disclosure annual reports (PDF) into a Parquet dataset."""

__version__ = "0.1.0"
