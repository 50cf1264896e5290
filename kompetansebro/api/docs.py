"""The API reference page: the OpenAPI document turned into plain data for a server-rendered template."""

import json

METHOD_ORDER = ["get", "post", "put", "patch", "delete"]


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_label(schema: dict | None) -> str:
    """A short, readable type: `string`, `integer ≥ 1`, `list of string`, `NeedOut`, `string or null`."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return _ref_name(schema["$ref"])
    for combinator in ("anyOf", "oneOf", "allOf"):
        if combinator in schema:
            return " or ".join(dict.fromkeys(type_label(option) for option in schema[combinator]))
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {type_label(schema.get('items'))}"
    label = kind
    if schema.get("format"):
        label += f" ({schema['format']})"
    if "enum" in schema:
        label += ": " + ", ".join(str(value) for value in schema["enum"])
    bounds = []
    for key, sign in (("minimum", "≥"), ("maximum", "≤"), ("minLength", "length ≥"), ("maxLength", "length ≤")):
        if key in schema:
            bounds.append(f"{sign} {schema[key]}")
    if bounds:
        label += " " + ", ".join(bounds)
    return label


def _example(schema: dict) -> str:
    for key in ("example", "examples", "default"):
        if key in schema:
            value = schema[key][0] if key == "examples" and isinstance(schema[key], list) else schema[key]
            return json.dumps(value, ensure_ascii=False)
    return ""


def _schema_rows(schema: dict) -> list[dict]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": type_label(prop),
            "required": name in required,
            "description": prop.get("description", ""),
            "example": _example(prop),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _curl(method: str, path: str, base_url: str, operation: dict) -> str:
    url = base_url.rstrip("/") + path
    lines = [f"curl -X {method.upper()} '{url}'" if method != "get" else f"curl '{url}'"]
    lines.append('  -H "Authorization: Bearer $KOMPETANSEBRO_TOKEN"')
    if method in ("patch", "put"):
        lines.append("  -H 'If-Match: \"3\"'")
    if "requestBody" in operation:
        lines.append("  -H 'Content-Type: application/json'")
        lines.append("  --data @body.json")
    return " \\\n".join(lines)


def reference_from_openapi(schema: dict, *, base_url: str) -> dict:
    """{"info", "groups": [{"tag", "operations": [...]}], "schemas": [{"name", "rows"}]} for api/docs.html."""
    groups: dict[str, list] = {}
    for path, item in schema.get("paths", {}).items():
        for method in sorted(item, key=lambda m: METHOD_ORDER.index(m) if m in METHOD_ORDER else 99):
            operation = item[method]
            request_body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
            responses = [
                {
                    "status": status,
                    "description": response.get("description", ""),
                    "type": type_label(response.get("content", {}).get("application/json", {}).get("schema")),
                }
                for status, response in sorted(operation.get("responses", {}).items())
            ]
            tag = (operation.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                {
                    "id": operation.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": type_label(parameter.get("schema")),
                            "description": parameter.get("description")
                            or parameter.get("schema", {}).get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": type_label(request_body.get("schema")) if request_body else "",
                    "responses": responses,
                    "curl": _curl(method, path, base_url, operation),
                }
            )
    components = schema.get("components", {}).get("schemas", {})
    return {
        "info": schema.get("info", {}),
        "groups": [{"tag": tag, "operations": operations} for tag, operations in groups.items()],
        "schemas": [
            {"name": name, "description": definition.get("description", ""), "rows": _schema_rows(definition)}
            for name, definition in sorted(components.items())
        ],
    }
