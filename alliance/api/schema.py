"""The OpenAPI contract: every parameter, every status code, the headers that matter.

`ApiAutoSchema` adds to each read operation the answers every API view can give (304,
400, 404, 406, 429) and the `format` parameter; `document_refusals` adds the write
methods to each path, answering 405, so the schema says what the API refuses too.
"""

import functools

from django.conf import settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

WRITE_METHODS = ("post", "put", "patch", "delete")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


def field_errors_schema():
    return {
        "type": "object",
        "description": "Each refused query parameter, with what is wrong with it.",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"kind": ["Select a valid choice. planet is not one of the available choices."]},
    }


def renderer_formats():
    return ["json", "api"] if settings.DEBUG else ["json"]


class ApiAutoSchema(AutoSchema):
    def get_tags(self):
        # /api/v1/organisations/{slug}/ -> "organisations"
        parts = [part for part in self.path.split("/") if part and part not in ("api", "v1")]
        return parts[:1] or super().get_tags()

    def get_override_parameters(self):
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "format",
                str,
                enum=renderer_formats(),
                description="The response format; JSON unless said otherwise.",
            ),
        ]

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        is_list = getattr(self.view, "action", None) == "list"
        answers = {
            "304": OpenApiResponse(
                description="Not modified: the `If-None-Match` or `If-Modified-Since` still holds."
            ),
            "400": OpenApiResponse(
                description=(
                    "A query parameter is unknown, repeated, or has a bad value: "
                    "each one is named with the reason."
                ),
            ),
            "404": OpenApiResponse(
                response=ErrorSerializer,
                description="No such page." if is_list else "No such object.",
            ),
            "406": OpenApiResponse(
                response=ErrorSerializer,
                description="The `Accept` header asks for a format the API does not serve.",
            ),
            "429": OpenApiResponse(
                response=ErrorSerializer,
                description="Too many requests: wait for `Retry-After` seconds.",
            ),
        }
        for code, answer in answers.items():
            responses[code] = self._get_response_for_code(answer, code, direction=direction)
        return responses


def _header(description, schema=None):
    return {"description": description, "schema": schema or {"type": "string"}}


VALIDATORS = {
    "ETag": _header("A digest of the body: send it back in `If-None-Match`."),
    "Last-Modified": _header("The last change in the record: send it back in `If-Modified-Since`."),
}
RETRY_AFTER = {"Retry-After": _header("Seconds to wait.", {"type": "integer"})}


def document_refusals(result, generator, request, public):
    """Postprocessing hook: headers on responses, 405 for every write method, error shapes."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["FieldErrors"] = field_errors_schema()
    for path, operations in result.get("paths", {}).items():
        tag = next(iter(operations.values())).get("tags", [])
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                response["headers"] = {**VALIDATORS, **(RETRY_AFTER if code == "429" else {})}
                if code == "400":
                    response["content"] = {
                        "application/json": {"schema": {"$ref": "#/components/schemas/FieldErrors"}}
                    }
        stem = path.strip("/").replace("/", "_").replace("{", "").replace("}", "")
        for method in WRITE_METHODS:
            operations[method] = {
                "operationId": f"{stem}_{method}_refused",
                "summary": f"{method.upper()} is refused: the API is read-only",
                "tags": tag,
                "responses": {
                    "405": {
                        "description": "Method not allowed: only GET, HEAD and OPTIONS.",
                        "headers": {
                            **VALIDATORS,
                            "Allow": _header("The methods this URL accepts."),
                        },
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                    "404": {
                        "description": "No resource at this URL (a slug holding a `/`).",
                        "headers": VALIDATORS,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                    "429": {
                        "description": "Too many requests: wait for `Retry-After` seconds.",
                        "headers": {**VALIDATORS, **RETRY_AFTER},
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                        },
                    },
                },
            }
            if "{slug}" in path:
                operations[method]["parameters"] = [
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
                ]
    return result


@functools.cache
def served_schema(language, renderer_class):
    """The schema as /api/schema/ serves it, rendered once per process.

    It depends only on the code, which a deploy replaces with the process.
    """
    with translation.override(language):
        document = SchemaGenerator().get_schema(request=None, public=True)
        return renderer_class().render(document, renderer_context={})
