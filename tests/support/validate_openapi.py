#!/usr/bin/python3
"""Checks recorded HTTP exchanges against the OpenAPI document of the API.

usage: validate_openapi.py OPENAPI_JSON EXCHANGES_JSONL
Each line of EXCHANGES_JSONL is {"method", "target", "status", "content_type", "body"}.
An exchange whose path and method are a documented operation must answer a status the
operation documents (exactly, or as 4XX/5XX), with a content type it lists, and a JSON
body valid against the schema for that status (draft 2020-12, python3-jsonschema).
Paths the document does not name (static files, unknown paths, wrong methods) are not
routes and are left to the tests that send them. Exit 0 when all conform, 1 otherwise.
"""
import json
import re
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    operations = []
    for path, methods in doc["paths"].items():
        regex = re.compile("^" + re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(path)) + "$")
        for method, op in methods.items():
            operations.append((regex, method.upper(), path, op))
    validators = {}

    def validator(ref):
        if ref not in validators:
            root = {"$schema": doc["jsonSchemaDialect"], "components": doc["components"], "$ref": ref}
            validators[ref] = jsonschema.Draft202012Validator(root)
        return validators[ref]

    problems = []
    checked = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            x = json.loads(line)
            path = x["target"].split("?", 1)[0]
            method = "GET" if x["method"] == "HEAD" else x["method"]
            op = next(((p, o) for r, m, p, o in operations if m == method and r.match(path)), None)
            if op is None:
                continue
            template, op = op
            where = f'{x["method"]} {x["target"]} -> {x["status"]} (documented as {method} {template})'
            status = str(x["status"])
            responses = op["responses"]
            spec = responses.get(status) or responses.get(status[0] + "XX")
            if spec is None:
                problems.append(f"{where}: status {status} is not documented")
                continue
            checked += 1
            content = spec.get("content")
            if not content or x["method"] == "HEAD":
                if content is None and x["body"]:
                    problems.append(f"{where}: documented without a body, answered {len(x['body'])} bytes")
                continue
            ctype = x["content_type"].split(";", 1)[0].strip().lower()
            if ctype not in content:
                problems.append(f"{where}: content type {ctype!r}, documented {sorted(content)}")
                continue
            if not ctype.endswith("json"):
                continue
            schema = content[ctype]["schema"]
            try:
                body = json.loads(x["body"])
            except ValueError as e:
                problems.append(f"{where}: body is not JSON ({e})")
                continue
            ref = schema.get("$ref")
            v = validator(ref) if ref else jsonschema.Draft202012Validator(schema)
            for e in sorted(v.iter_errors(body), key=lambda e: list(e.path))[:3]:
                problems.append(f"{where}: /{'/'.join(str(p) for p in e.path)}: {e.message[:300]}")
    for p in problems[:50]:
        print("openapi contract: " + p, file=sys.stderr)
    if len(problems) > 50:
        print(f"openapi contract: ... and {len(problems) - 50} more", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
