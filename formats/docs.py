"""The API's human-readable page: its OpenAPI document rendered on the server, in the site's own
style (no script, nothing from elsewhere)."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from formats.api import api


def _schema_name(reference: dict) -> str:
    ref = reference.get("$ref") or ""
    if not ref and "items" in reference:
        return f"{_schema_name(reference['items'])}[]"
    return ref.rsplit("/", 1)[-1] if ref else reference.get("type", "")


def _type(schema: dict) -> str:
    if "anyOf" in schema:
        return " | ".join(_type(option) for option in schema["anyOf"])
    if "$ref" in schema or "items" in schema:
        return _schema_name(schema)
    kind = schema.get("type", "")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def operations(document: dict) -> list[dict]:
    found = []
    for address, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            content = operation.get("responses", {}).get("200", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            found.append(
                {
                    "method": method.upper(),
                    "path": address,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type(parameter.get("schema", {})),
                            "description": parameter.get("description", "")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "returns": _schema_name(schema),
                }
            )
    return found


def schemas(document: dict) -> list[dict]:
    return [
        {
            "name": name,
            "fields": [
                {
                    "name": field,
                    "type": _type(spec),
                    "description": spec.get("description", ""),
                }
                for field, spec in schema.get("properties", {}).items()
            ],
        }
        for name, schema in sorted(document.get("components", {}).get("schemas", {}).items())
    ]


@require_safe
def api_docs(request):
    document = api.get_openapi_schema()
    return TemplateResponse(
        request,
        "formats/api_docs.html",
        {
            "document": document,
            "operations": operations(document),
            "schemas": schemas(document),
            "schema_url": reverse("api:openapi-json"),
        },
    )
