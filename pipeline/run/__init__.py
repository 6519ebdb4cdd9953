"""Running an archive: inventory, killable workers (local or Dask), split files, batches, logs."""
