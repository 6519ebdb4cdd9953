"""The dataset on disk: Arrow schemas, part files, journaled commits, reading it back."""
