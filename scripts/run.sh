#!/usr/bin/env bash
# The project's run command (README): a local network of four validator processes (one organization
# each, mutual TLS, BFT consensus) with demo data and their APIs at http://127.0.0.1:8080-8083, on the
# embedded store. Ctrl-C stops the network; running it again continues where it stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product civic
exec "$(swift build --show-bin-path)/civic" devnet up --nodes 4 --dir devnet --foreground "$@"
