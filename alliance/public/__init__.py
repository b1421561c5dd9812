"""The public, read-only pages."""
