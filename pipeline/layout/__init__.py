"""Positioned glyphs and ruling lines → lines of text and table grids, joined across pages."""
