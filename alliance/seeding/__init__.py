"""The seed pipeline: `seeds/` (the source document and its annotations) to `fixtures/`."""
