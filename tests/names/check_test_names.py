#!/usr/bin/python3
"""Fails when a Catch2 TEST_CASE name contains ';'.

catch_discover_tests hands each name to CTest as a CMake list element, and CMake splits
lists at ';': such a test becomes two tests whose names match nothing, which run no
assertion and pass. The name is the string literals right after TEST_CASE(, adjacent
ones joined as the compiler joins them.

Usage: check_test_names.py DIR...   (every *.cpp below each DIR)
"""
import pathlib
import re
import sys

LITERAL = re.compile(r'\s*"((?:[^"\\\n]|\\.)*)"')


def names(text):
    for m in re.finditer(r'\bTEST_CASE\s*\(', text):
        pos, parts = m.end(), []
        while (lit := LITERAL.match(text, pos)):
            parts.append(lit.group(1))
            pos = lit.end()
        if parts:
            yield text.count('\n', 0, m.start()) + 1, ''.join(parts)


def main(dirs):
    bad, seen = [], 0
    for d in dirs:
        for path in sorted(pathlib.Path(d).rglob('*.cpp')):
            for line, name in names(path.read_text(encoding='utf-8')):
                seen += 1
                if ';' in name:
                    bad.append(f'{path}:{line}: a test name with ";" (CTest splits it): {name}')
    if seen == 0:
        print('no TEST_CASE found: the check looked in the wrong place', file=sys.stderr)
        return 1
    for b in bad:
        print(b, file=sys.stderr)
    print(f'{seen} test names, {len(bad)} with ";"')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
