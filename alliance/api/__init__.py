"""The read-only JSON API under /api/v1/, its OpenAPI schema and its docs."""
