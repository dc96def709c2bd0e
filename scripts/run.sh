#!/usr/bin/env bash
# The project's run command (README): a local chain with demo data and its API, on the embedded store.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product civic
exec "$(swift build --show-bin-path)/civic" demo "$@"
