#!/usr/bin/env bash
# Makes a fresh Debian/Ubuntu machine ready for lab: npm dependencies (built by `prepare`) and, as
# root, the Debian packages the box needs. Quick and silent when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "bootstrap: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
if [ ! -f dist/cli/main.js ]; then
  npm run build
fi
missing=0
for program in dockerd containerd sshd ssh-keygen busybox ip iptables nsenter unshare; do
  command -v "$program" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$program" >/dev/null 2>&1 || missing=1
done
if [ "$missing" = 1 ]; then
  echo "bootstrap: installing the box's Debian packages (lab box install)"
  node bin/lab.js box install
fi
