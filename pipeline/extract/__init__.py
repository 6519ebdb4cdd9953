"""Stage 1: a file → `Document` (pages of positioned lines and tables), text layer or OCR per page."""
