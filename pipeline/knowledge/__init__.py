"""What the pipeline knows about the reports, as data files validated at load."""
