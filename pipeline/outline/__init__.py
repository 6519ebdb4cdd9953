"""Stage 2: a `Document` → its outline (title, headings, paragraphs) and the report's own fields."""
