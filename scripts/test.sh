#!/usr/bin/env bash
# Unit and integration tests. The integration tests bring a real box up (root, namespaces, sshd,
# dockerd) and tear it down themselves, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
npm run build --silent
npx vitest run "$@"
