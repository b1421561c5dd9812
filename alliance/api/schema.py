"""The OpenAPI 3.1 contract: every parameter, every status code, the headers that matter.

`ApiAutoSchema` adds to each read operation the answers every API view can give (304,
400, 404, 406, 429, 503) and the `format` parameter. `strict_contract` makes the
document one that strict clients and validators (openapi-core) take as it is:

- the API is read-only, said once in its description: no write operation is listed,
  so generated clients get no method that can only fail;
- a blank URL or slug is `anyOf` a URI or an empty string (`oneOf` fails on "", which
  both branches accept when formats are not asserted);
- a boolean parameter is a boolean, without a string enum beside it;
- a nullable value says so in 3.1's words (`type: [string, "null"]`);
- `ordering` is one comma-separated string (`-name,slug`), which clients send once;
- every answer documents its `ETag`, `Last-Modified`, `Content-Language` and `Vary`, a
  429 or 503 its `Retry-After`; every operation takes `lang` (`alliance.api.languages`).
"""

import functools

from django.conf import settings
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from alliance.api.languages import language_parameter

READ_ONLY = (
    "\n\nRead-only: every write method (POST, PUT, PATCH, DELETE) answers 405 with "
    "`Allow: GET, HEAD, OPTIONS`."
)


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
            language_parameter(),
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
            "503": OpenApiResponse(
                response=ErrorSerializer,
                description=(
                    "The database cannot be reached and no kept answer holds: "
                    "try again after `Retry-After` seconds."
                ),
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
LANGUAGE_HEADERS = {
    "Content-Language": _header(
        "The language the record's texts are written in here: `lang`, else `Accept-Language`."
    ),
    "Vary": _header("`Accept-Language`: the same address answers in the language asked."),
}
RETRY_AFTER = {"Retry-After": _header("Seconds to wait.", {"type": "integer"})}
BLANK = {"type": "string", "maxLength": 0}


def _walk(node):
    """Every dict in the document, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _ordering_parameter(parameter):
    fields = sorted({value.lstrip("-") for value in parameter["schema"]["items"]["enum"]})
    one = f"-?({'|'.join(fields)})"
    parameter.pop("explode", None)
    parameter.pop("style", None)
    parameter["schema"] = {"type": "string", "pattern": f"^{one}(,{one})*$"}
    parameter["description"] = (
        f"{parameter.get('description', '').split(chr(10))[0]}: one or more of "
        f"{', '.join(f'`{field}`' for field in fields)}, comma-separated, each "
        "with `-` before it to reverse (`-name,slug`). Give it once."
    )


def strict_contract(result, generator, request, public):
    """Postprocessing hook: see the module's docstring."""
    info = result.setdefault("info", {})
    info["description"] = info.get("description", "") + READ_ONLY
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["FieldErrors"] = field_errors_schema()
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                retry = RETRY_AFTER if code in ("429", "503") else {}
                response["headers"] = {**VALIDATORS, **LANGUAGE_HEADERS, **retry}
                if code == "400":
                    response["content"] = {
                        "application/json": {"schema": {"$ref": "#/components/schemas/FieldErrors"}}
                    }
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "boolean":
                    schema.pop("enum", None)
                if parameter["name"] == "ordering" and schema.get("type") == "array":
                    _ordering_parameter(parameter)
    for node in _walk(result):
        if node.pop("nullable", False) and isinstance(node.get("type"), str):
            # OpenAPI 3.0's `nullable` (a pagination's next/previous) in 3.1's words.
            node["type"] = [node["type"], "null"]
        branches = node.get("oneOf")
        if isinstance(branches, list) and BLANK in branches:
            node["anyOf"] = node.pop("oneOf")
    return result


@functools.cache
def served_schema(language, renderer_class):
    """The schema as /api/schema/ serves it, rendered once per process.

    It depends only on the code, which a deploy replaces with the process.
    """
    with translation.override(language):
        document = SchemaGenerator().get_schema(request=None, public=True)
        return renderer_class().render(document, renderer_context={})
