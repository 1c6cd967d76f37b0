#!/usr/bin/env bash
# The main job on a fresh machine: a two-host box, then the seed's two-NIC macvlan lab on it, with
# its verdict. The box stays up afterwards so you can look around (`lab box status`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
npm run build --silent
node bin/lab.js box up --hosts 2
node bin/lab.js run macvlan-two-nic -i box
echo
echo "Explore: node bin/lab.js check connectivity -i box | Clean up: node bin/lab.js down macvlan-two-nic -i box && node bin/lab.js box down"
