"""The public site: read-only pages, feeds and sitemaps that show who stands where, and why."""
