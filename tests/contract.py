"""Every API answer the test suite produces, checked against the schema by openapi-core.

`ResponseContractMiddleware` is the outermost middleware of the test settings: each GET
under /api/ whose path and method the schema describes has its answer validated (status
code documented, headers, body shape), wherever it comes from (the view, the page cache,
a 304, a 503). The schema is made stricter for this check: an object may carry no
property it does not declare, so a field the API sends without documenting it fails.
A mismatch raises, which fails the test that made the request.
"""

import copy
import functools
import gzip
import json

from django.http import HttpResponse
from django.utils import translation


def forbid_undeclared_properties(document):
    document = copy.deepcopy(document)
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node.setdefault("additionalProperties", False)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return document


@functools.cache
def openapi():
    from drf_spectacular.generators import SchemaGenerator
    from openapi_core import OpenAPI

    with translation.override("en"):
        document = SchemaGenerator().get_schema(request=None, public=True)
    return OpenAPI.from_dict(forbid_undeclared_properties(json.loads(json.dumps(document))))


class ContractError(AssertionError):
    pass


def check(request, response):
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
    from openapi_core.templating.paths.exceptions import PathNotFound

    spec = openapi()
    if response.get("Content-Encoding") == "gzip":
        # A plain copy to validate: the client still gets the compressed answer.
        plain = HttpResponse(gzip.decompress(response.content), status=response.status_code)
        for name, value in response.items():
            if name.lower() not in ("content-encoding", "content-length"):
                plain[name] = value
        response = plain
    openapi_request = DjangoOpenAPIRequest(request)
    try:
        spec.validate_response(openapi_request, DjangoOpenAPIResponse(response))
    except PathNotFound:
        return False
    except Exception as error:
        reasons = getattr(error.__cause__, "schema_errors", None) or [error]
        body = response.content[:300] if not response.streaming else b"(streamed)"
        raise ContractError(
            f"{request.method} {request.get_full_path()} answered {response.status_code} "
            f"outside the schema: {type(error).__name__}: "
            f"{'; '.join(str(reason)[:300] for reason in reasons)}; body: {body!r}"
        ) from None
    return True


class ResponseContractMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and request.path.startswith("/api/v1/"):
            check(request, response)
        return response
