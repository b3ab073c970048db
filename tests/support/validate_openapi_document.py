#!/usr/bin/python3
"""Checks the server's OpenAPI document: valid against the OpenAPI Initiative's 3.1
meta-schema (schema/oas-3.1.schema.json, https://spec.openapis.org/oas/3.1/schema/2022-10-07,
validated with Debian's python3-jsonschema), every $ref points at something in the
document, and every {parameter} in a path is declared as a path parameter of each of
its operations. Prints the problems and exits 1 if there is one.

  validate_openapi_document.py OPENAPI.json"""
import json
import os
import re
import sys

import jsonschema

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def resolve(doc, ref):
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def refs(node, path="#"):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                yield path, v
            else:
                yield from refs(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from refs(v, "%s/%d" % (path, i))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    with open(os.path.join(ROOT, "schema", "oas-3.1.schema.json"), encoding="utf-8") as f:
        meta = json.load(f)
    problems = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path) or "(document)", e.message)
                for e in jsonschema.Draft202012Validator(meta).iter_errors(doc)]
    for where, ref in refs(doc):
        if not ref.startswith("#/") or not resolve(doc, ref):
            problems.append("%s: $ref %s points at nothing in the document" % (where, ref))
    for path, item in doc.get("paths", {}).items():
        wanted = set(re.findall(r"\{([^}]+)\}", path))
        shared = {p.get("name") for p in item.get("parameters", []) if p.get("in") == "path"}
        for method, op in item.items():
            if method not in ("get", "put", "post", "delete", "patch", "head", "options"):
                continue
            declared = shared | {p.get("name") for p in op.get("parameters", []) if p.get("in") == "path"}
            for missing in sorted(wanted - declared):
                problems.append("%s %s: path parameter {%s} is not declared" % (method.upper(), path, missing))
    if problems:
        print("the OpenAPI document is not valid:")
        for p in problems:
            print("  - " + p)
        return 1
    print("the OpenAPI document is valid OpenAPI 3.1 (%d paths)" % len(doc.get("paths", {})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
