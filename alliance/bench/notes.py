"""Why a target is missed, by endpoint name (see endpoints.py); printed under the report.

Filled in after a run that misses a target, so the report says why beside the numbers.
"""

NOTES: dict[str, str] = {}
