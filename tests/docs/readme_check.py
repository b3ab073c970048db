#!/usr/bin/env python3
"""Keeps the README true: everything it names must exist.

  readme_check.py SERVER_BINARY ADMIN_BINARY [README]

- every repository path it mentions (config/..., tools/..., static/..., schema/...,
  server/..., tests/..., .ci/...) and every picture it shows is in the tree;
- every tools/<command> is an executable file;
- every --section.key flag and SPRECHSTUNDE_* variable is an option of the server
  (its --help), every `sprechstunde-admin <command>` a command of the admin tool;
- every endpoint (`GET /api/...`, `/feeds/...`, `/lobby/<camp>`, ...) is served: a
  server with the demo hub is started on a private Redis, and each path, placeholders
  filled in, must reach a handler: neither the router's "no such resource" nor the
  static files' "no such file", nor 405;
- it speaks of what is true now, not of work tracking: no "issue 8" or "#12" (a
  reference to another project's tracker, owner/repo#123, is fine).
Prints every problem and exits 1 if there is one."""
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PATH_ROOTS = ("config/", "tools/", "static/", "schema/", "server/", "tests/", ".ci/")
METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD")


def tracker_references(text):
    """Words of work tracking: "issue 8", "issues 3 and 4", a bare "#12"."""
    found = [m.group(0) for m in re.finditer(r"\b[Ii]ssues? \d+", text)]
    found += [m.group(0) for m in re.finditer(r"(?<![\w/#&-])#\d+\b", text)]
    return found


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def strip_punctuation(token):
    return token.rstrip(".,;:)`'\"]*").lstrip("(`'\"[*")


def repository_paths(text):
    found = set()
    for m in re.finditer(r"(?<![\w/.-])((?:\.ci|config|tools|static|schema|server|tests)/[\w./<>*{}-]*)", text):
        p = strip_punctuation(m.group(1))
        if any(c in p for c in "<>{}*") or p.endswith("/..."):
            continue  # a pattern such as static/i18n/<lang>.json, not one file
        found.add(p.rstrip("/"))
    for m in re.finditer(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
        if "://" not in m.group(1):
            found.add(m.group(1).split("#")[0])
    return sorted(found)


def flags(text):
    found = set(re.findall(r"--([a-z_]+\.[a-z_]+)(?==|\b)", text))
    found.discard("section.key")  # the README's name for "any option"
    return sorted(found)


def variables(text):
    return sorted(set(re.findall(r"\bSPRECHSTUNDE_[A-Z_]+[A-Z]\b", text)))


def admin_commands(text):
    return sorted(set(re.findall(r"(?:sprechstunde-admin|tools/hub-admin)(?: --[\w.=:/-]+)* ([a-z][a-z-]+)", text)))


def endpoints(text):
    """(method, path) pairs; method None when the README names only the path."""
    found = set()
    pattern = r"(?:(%s) +)?(/(?:api/v1|feeds|lobby|experts|rooms|b|invite|expert|admin|ws|healthz|readyz|metrics)\b[^\s`'\"),]*)" % "|".join(METHODS)
    for m in re.finditer(pattern, text):
        path = m.group(2).rstrip(".,;:")
        if path in ("/api/v1", "/api/v2") or path.endswith("/"):
            continue  # a prefix ("every route is under /api/v1"), not a route
        if path.startswith("/b/") or path.startswith("/api/v1") or m.group(1) or path in (
                "/ws", "/healthz", "/readyz", "/metrics", "/expert", "/admin") or re.match(r"/(lobby|feeds|experts|rooms|invite)/", path):
            found.add((m.group(1), path))
    return sorted(found, key=lambda e: (e[1], e[0] or ""))


def concrete(path):
    """The path with placeholders filled in: <x>, {x}, $X, ${X}, :x."""
    path = path.split("#")[0]
    path = re.sub(r"<[^>]*>|\{[^}]*\}|\$\{?[A-Z_]+\}?|(?<=/):[a-z_]+", "x", path)
    path = re.sub(r"\.\.\.$|…$", "x", path)
    return path


def websocket_served(port):
    """True if /ws answers an upgrade with 101 Switching Protocols."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                  b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
        return s.recv(64).startswith(b"HTTP/1.1 101")


def served(base, method, path, any_method):
    """Whether `path` reaches a handler; with `any_method` (the README names no method)
    a 405 counts, as the path is served for another method."""
    req = urllib.request.Request(base + path, method=method)
    if method in ("POST", "PUT"):
        req.add_header("Content-Type", "application/json")
        req.data = b"{}"
    if path == "/ws":
        req.add_header("Connection", "Upgrade")
        req.add_header("Upgrade", "websocket")
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return True, res.status
    except urllib.error.HTTPError as e:
        body = e.read().decode("utf-8", "replace")
        if e.code == 405:
            return any_method, 405
        if e.code == 404:
            try:
                detail = json.loads(body).get("detail", "")
            except ValueError:
                detail = ""
            if detail in ("no such resource", "no such file"):
                return False, 404
        return True, e.code


def main():
    server_binary, admin_binary = sys.argv[1], sys.argv[2]
    readme = sys.argv[3] if len(sys.argv) > 3 else os.path.join(ROOT, "README.md")
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    problems = []

    for ref in tracker_references(text):
        problems.append("says %r: work tracking belongs in the git log, not in the README" % ref)
    for p in repository_paths(text):
        full = os.path.join(ROOT, p)
        if not os.path.exists(full):
            problems.append("names %s, which is not in the tree" % p)
        elif p.startswith("tools/") and p.count("/") == 1 and not os.access(full, os.X_OK):
            problems.append("names the command %s, which is not executable" % p)

    help_text = subprocess.run([server_binary, "--help"], capture_output=True, text=True).stdout
    for flag in flags(text):
        if "--" + flag + " " not in help_text and "--" + flag + "\n" not in help_text:
            problems.append("names the option --%s, which sprechstunde --help does not list" % flag)
    for var in variables(text):
        if var not in help_text and var not in ("SPRECHSTUNDE_CONFIG",):
            problems.append("names the variable %s, which sprechstunde --help does not list" % var)
    admin_help = subprocess.run([admin_binary, "--help"], capture_output=True, text=True)
    admin_usage = admin_help.stdout + admin_help.stderr
    for cmd in admin_commands(text):
        if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(cmd), admin_usage):
            problems.append("names the admin command %s, which sprechstunde-admin does not have" % cmd)

    eps = endpoints(text)
    with tempfile.TemporaryDirectory() as tmp:
        redis_port, port, management = free_port(), free_port(), free_port()
        redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                                  "--appendonly", "yes", "--dir", tmp], stdout=subprocess.DEVNULL)
        log = open(os.path.join(tmp, "server.log"), "w")
        server = None
        try:
            time.sleep(0.05)
            server = subprocess.Popen([server_binary, "--redis.url=redis://127.0.0.1:%d" % redis_port,
                                       "--http.port=%d" % port, "--http.management_port=%d" % management,
                                       "--http.static_dir=" + os.path.join(ROOT, "static"),
                                       "--hub.seed_file=" + os.path.join(ROOT, "config", "demo-hub.toml")],
                                      stdout=log, stderr=log, cwd=tmp)
            base = "http://127.0.0.1:%d" % port
            deadline = time.time() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/readyz", timeout=2) as res:
                        if res.status == 200:
                            break
                except (urllib.error.URLError, ConnectionError, OSError):
                    pass
                if time.time() > deadline:
                    problems.append("the server did not become ready; see " + log.name)
                    eps = []
                    break
                time.sleep(0.1)
            for method, path in eps:
                target = concrete(path)
                if target == "/ws":
                    ok, status = websocket_served(port), 0
                else:
                    ok, status = served(base if path not in ("/metrics",) else "http://127.0.0.1:%d" % management,
                                        method or "GET", target, method is None)
                if not ok:
                    problems.append("names the endpoint %s%s, which the server does not serve (%d for %s)" %
                                    (method + " " if method else "", path, status, target))
        finally:
            if server:
                server.terminate()
                server.wait(timeout=20)
            redis.terminate()
            redis.wait(timeout=20)

    checked = "%d paths, %d options, %d variables, %d admin commands, %d endpoints" % (
        len(repository_paths(text)), len(flags(text)), len(variables(text)), len(admin_commands(text)), len(eps))
    if problems:
        print("README.md says what is not so (%s checked):" % checked)
        for p in problems:
            print("  - " + p)
        return 1
    print("README.md checked: " + checked)
    return 0


if __name__ == "__main__":
    sys.exit(main())
