import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are checked as English words them (the admin's French is checked there)."""
    with translation.override("en"):
        yield
