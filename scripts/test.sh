#!/usr/bin/env bash
# The project's test command (README and .ci/run): installs what the tests need, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages the build and the tests use: OpenSSL 3 (libcrypto with SM2/SM3/SM4, and the
# openssl command for interop tests), SQLite 3, and libpq with a PostgreSQL 15 server (the exchange
# gateway's PostgreSQL adapter is tested against a server the test starts; it fails without one).
# The console (Docs/0017) is tested in headless Chromium driven through chromedriver, with CJK fonts so
# that its Chinese screenshots are legible, and its JavaScript cryptography is checked against Swift's
# under Node.js.
need=()
command -v openssl >/dev/null || need+=(openssl)
command -v sqlite3 >/dev/null || need+=(sqlite3)
[ -f /usr/include/openssl/evp.h ] || need+=(libssl-dev)
[ -f /usr/include/sqlite3.h ] || need+=(libsqlite3-dev)
[ -f /usr/include/postgresql/libpq-fe.h ] || need+=(libpq-dev)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
command -v node >/dev/null || need+=(nodejs)
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" </dev/null
fi

swift build --build-tests
# The CLI tests start real `civic` processes; they find the binary through this variable.
export CIVIC_BINARY="$(swift build --show-bin-path)/civic"
if [ $# -gt 0 ]; then exec swift test --skip-build "$@"; fi
# Two runs. The tests that start processes (CivicCLITests: devnets, node processes, the real toolchain;
# the PostgreSQL adapter's server) wait for them synchronously, which holds a thread of Swift's
# cooperative pool (one per core) for seconds; beside them, in-process clusters starve and time out.
# So the in-process tests run first, in parallel, and the process tests after them, one at a time.
processes='CivicCLITests|PostgreSQLTableAdapterTests'
swift test --skip-build --skip "$processes"
SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=1 swift test --skip-build --no-parallel --filter "$processes"
