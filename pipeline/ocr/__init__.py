"""Reading a page from its image: engines, rasterising, rules in the image, cell readings."""
