"""A generated record at a chosen size, for measuring the site when the record has grown.

`generate_scale_data` (the management command) fills a database with it; `make bench`
measures the site against it.
"""

from alliance.scale.generator import PREFIX, Sizes, clear_generated, foreign_row, generate

__all__ = ["PREFIX", "Sizes", "clear_generated", "foreign_row", "generate"]
