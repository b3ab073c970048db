#!/usr/bin/python3
"""Fails when a Catch2 TEST_CASE name contains ';'.

catch_discover_tests hands each name to CTest as a CMake list element, and CMake splits
lists at ';': such a test becomes two tests whose names match nothing, which run no
assertion and pass. The name is the string literals (plain or raw) right after
TEST_CASE( (or SCENARIO(, TEMPLATE_TEST_CASE(, TEST_CASE_METHOD(fixture,), adjacent ones
joined as the compiler joins them; a name made otherwise (a macro) cannot be checked
and fails the check too.

Usage: check_test_names.py DIR...   (every *.cpp below each DIR)
"""
import pathlib
import re
import sys

LITERAL = re.compile(r'\s*(?:"((?:[^"\\\n]|\\.)*)"|R"\(((?:(?!\)").)*)\)")', re.S)
# Catch2's macros that take a name; TEST_CASE_METHOD's first argument is the fixture.
MACRO = re.compile(r'\b(?:TEST_CASE_METHOD\s*\(\s*[\w:]+\s*,|(?:TEST_CASE|SCENARIO|TEMPLATE_TEST_CASE)\s*\()')


def names(text):
    """(line, name) for each test; name None when it is not made of string literals."""
    for m in MACRO.finditer(text):
        pos, parts = m.end(), []
        while (lit := LITERAL.match(text, pos)):
            parts.append(lit.group(1) if lit.group(1) is not None else lit.group(2))
            pos = lit.end()
        yield text.count('\n', 0, m.start()) + 1, (''.join(parts) if parts else None)


def main(dirs):
    bad, seen = [], 0
    for d in dirs:
        for path in sorted(pathlib.Path(d).rglob('*.cpp')):
            for line, name in names(path.read_text(encoding='utf-8')):
                seen += 1
                if name is None:
                    bad.append(f'{path}:{line}: a test name that is not a string literal (cannot be checked)')
                elif ';' in name:
                    bad.append(f'{path}:{line}: a test name with ";" (CTest splits it): {name}')
    if seen == 0:
        print('no TEST_CASE found: the check looked in the wrong place', file=sys.stderr)
        return 1
    for b in bad:
        print(b, file=sys.stderr)
    print(f'{seen} test names, {len(bad)} with ";" or not checkable')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
