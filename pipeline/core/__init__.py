"""Shared data types and helpers every stage uses: the typed model, text and number folding."""
