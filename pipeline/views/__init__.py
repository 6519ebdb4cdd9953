"""Looking at a dataset: the HTML run report, the review page, the terminal view."""
