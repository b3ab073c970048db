#!/usr/bin/python3
"""Starts the server from an unpacked package (dpkg -x ROOT) with the packaged config, as
systemd would (NOTIFY_SOCKET), and checks what an IT person relies on: READY=1 arrives,
/readyz answers 200, the front end is served, no hub data appears unless the demo hub is
asked for, and SIGTERM brings STOPPING=1 and exit 0. The paths of the packaged config
point into / (not installed here), so the static folder and the state folder are
redirected into ROOT and WORK by flags; every other option is the packaged file's.

usage: run_packaged_server.py ROOT WORK
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError:
        return 0, ""


def wait_datagram(sock, want, deadline):
    seen = []
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            msg = sock.recv(4096).decode()
        except socket.timeout:
            break
        seen.append(msg)
        if want in msg.split("\n"):
            return seen
    raise SystemExit(f"no {want} from the server on NOTIFY_SOCKET (got {seen})")


def run(root, work, name, extra):
    state = os.path.join(work, name)
    os.makedirs(state)
    notify_path = os.path.join(state, "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    port = free_port()
    log = open(os.path.join(state, "server.log"), "w")
    env = dict(os.environ, NOTIFY_SOCKET=notify_path)
    cmd = [os.path.join(root, "usr/bin/sprechstunde"), "--config", os.path.join(root, "etc/sprechstunde/sprechstunde.toml"),
           "--http.static_dir=" + os.path.join(root, "usr/share/sprechstunde/static"),
           "--redis.embedded_dir=" + os.path.join(state, "redis"), f"--http.port={port}"] + extra
    server = subprocess.Popen(cmd, cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_datagram(notify, "READY=1", time.monotonic() + 90)
        deadline = time.monotonic() + 60
        status = 0
        while time.monotonic() < deadline:
            status, body = get(port, "/readyz")
            if status == 200:
                break
            time.sleep(0.1)
        if status != 200:
            raise SystemExit(f"{name}: /readyz answered {status}, not 200, within 60 s")
        status, page = get(port, "/")
        if status != 200 or "<html" not in page.lower():
            raise SystemExit(f"{name}: the front end is not served from the package ({status})")
        status, body = get(port, "/api/v1/camps")
        if status != 200:
            raise SystemExit(f"{name}: /api/v1/camps answered {status}")
        camps = json.loads(body)["camps"]
        server.send_signal(signal.SIGTERM)
        wait_datagram(notify, "STOPPING=1", time.monotonic() + 30)
        code = server.wait(timeout=30)
        if code != 0:
            raise SystemExit(f"{name}: exit status {code} after SIGTERM, not 0")
        return camps
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        notify.close()
        log.close()


def main():
    root, work = sys.argv[1], sys.argv[2]
    camps = run(root, work, "plain", [])
    if camps:
        raise SystemExit(f"without the demo hub the packaged server already has camps: {camps}")
    demo = run(root, work, "demo", ["--hub.seed_file=" + os.path.join(root, "usr/share/sprechstunde/demo-hub.toml")])
    if not demo:
        raise SystemExit("with --hub.seed_file set to the packaged demo hub there are no camps")
    print(f"packaged server: ready, stopped cleanly; {len(demo)} demo camps only when asked")


if __name__ == "__main__":
    main()
