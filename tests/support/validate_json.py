#!/usr/bin/python3
"""Validates one JSON document (stdin) against a schema in schema/ with a real JSON
Schema validator (Debian's python3-jsonschema, draft 2020-12).

usage: validate_json.py SCHEMA_FILE [DEF_NAME] < document.json
Exit 0 when valid; 1 with the validator's message when not; 2 on usage errors.
"""
import json
import sys

import jsonschema


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    if len(sys.argv) == 3:
        schema = {"$schema": schema.get("$schema"), "$defs": schema["$defs"], "$ref": "#/$defs/" + sys.argv[2]}
    document = json.load(sys.stdin)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    if errors:
        for e in errors[:5]:
            print("/".join(str(p) for p in e.path) + ": " + e.message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
