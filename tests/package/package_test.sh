#!/usr/bin/env bash
# The Debian package, checked as an IT person would meet it: it builds (tools/package/build,
# reusing the Release build in build/perf), holds exactly the expected files, its unit
# passes systemd-analyze verify, its maintainer scripts create the system user, and the
# server from the unpacked tree (dpkg -x) with the packaged config reports readiness to
# systemd, serves /readyz and the front end, and the demo hub only when asked for it.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=$PWD
fail() { echo "package test: $*" >&2; exit 1; }

deb=$(tools/package/build)
[ -f "$deb" ] || fail "tools/package/build made no .deb"
work=$(mktemp -d "${TMPDIR:-/tmp}/sp-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Exactly these files (directories aside): a new file in the package must be added here.
{
  printf '%s\n' etc/sprechstunde/sprechstunde.toml lib/systemd/system/sprechstunde.service \
    usr/bin/sprechstunde usr/bin/sprechstunde-admin usr/share/doc/sprechstunde/README.md \
    usr/share/doc/sprechstunde/copyright usr/share/doc/sprechstunde/examples/nginx.conf \
    usr/share/sprechstunde/demo-hub.toml
  (cd static && find . -type f | sed 's|^\./|usr/share/sprechstunde/static/|')
} | sort > "$work/expected"
dpkg-deb --contents "$deb" | awk '$1 !~ /^d/ {print $6}' | sed 's|^\./||' | sort > "$work/actual"
diff -u "$work/expected" "$work/actual" || fail "dpkg-deb --contents differs from the expected list (above)"

dpkg-deb -f "$deb" Depends | grep -q 'redis-server' || fail "Depends lacks redis-server"
# The packaged server allocates with jemalloc (README, "Dependencies and why"), and the
# package says so.
dpkg-deb -f "$deb" Depends | grep -q 'libjemalloc2' || fail "Depends lacks libjemalloc2"
dpkg-deb -e "$deb" "$work/control"
grep -qx '/etc/sprechstunde/sprechstunde.toml' "$work/control/conffiles" || fail "the config is not a conffile"
grep -q 'adduser --system' "$work/control/postinst" || fail "postinst does not create the system user"
sh -n "$work/control/postinst" && sh -n "$work/control/prerm" && sh -n "$work/control/postrm"

dpkg -x "$deb" "$work/root"
root=$work/root
unit=$root/lib/systemd/system/sprechstunde.service
for line in Type=notify NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes \
            StateDirectory=sprechstunde RuntimeDirectory=sprechstunde CapabilityBoundingSet= \
            SystemCallFilter=@system-service Restart=on-failure KillSignal=SIGTERM User=sprechstunde; do
  grep -qx "$line" "$unit" || fail "the unit lacks $line"
done
# systemd-analyze verify checks that ExecStart exists: point it at the unpacked binary.
mkdir -p "$work/units"
sed "s|^ExecStart=/usr/bin/sprechstunde --config /etc/|ExecStart=$root/usr/bin/sprechstunde --config $root/etc/|" \
  "$unit" > "$work/units/sprechstunde.service"
if ! out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$work/units/sprechstunde.service" 2>&1); then
  echo "$out" >&2
  fail "systemd-analyze verify failed"
fi
# verify exits 0 on unknown keys and bad values, but names the file and line: none may appear.
if echo "$out" | grep -q 'sprechstunde.service:'; then
  echo "$out" >&2
  fail "systemd-analyze verify complained about the unit"
fi

grep -q '^static_dir = "/usr/share/sprechstunde/static"' "$root/etc/sprechstunde/sprechstunde.toml" ||
  fail "the packaged config does not serve /usr/share/sprechstunde/static"
grep -q '^embedded_dir = "/var/lib/sprechstunde/redis"' "$root/etc/sprechstunde/sprechstunde.toml" ||
  fail "the packaged config does not keep its data in /var/lib/sprechstunde"

readelf -d "$root/usr/bin/sprechstunde" | grep -q 'NEEDED.*libjemalloc' ||
  fail "the packaged server is not linked with jemalloc"

python3 "$src/tests/package/run_packaged_server.py" "$root" "$work"
echo "package test: $deb passed"
