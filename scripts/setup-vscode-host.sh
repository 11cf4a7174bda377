#!/usr/bin/env bash
# Installs code-server (a build of VS Code that runs on Node 20) into .vscode-host/ for the e2e
# rig, the sandbox and the activation bench, without internet: shared/recipes/vscode-host.md.
# Idempotent: a stamp file records a finished install of this version; a second run does nothing.
# Needs the Debian packages of scripts/setup-system.sh (libkrb5-dev, ripgrep, build tools).
#
# npm 11 does not run dependencies' install scripts by default, and code-server's own postinstall
# cannot work here (it downloads rg, and as root it demands --unsafe-perm), so every step it would
# take is done by hand below, and each native module is checked for its built .node file.
set -euo pipefail

VERSION="4.100.3"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST="$ROOT/.vscode-host"
STAMP="$HOST/.installed-$VERSION"
CS="$HOST/node_modules/code-server"
VS="$CS/lib/vscode"

if [ -f "$STAMP" ] && [ -x "$HOST/node_modules/.bin/code-server" ]; then
  echo "setup-vscode-host: code-server $VERSION already installed in $HOST (nothing to do)"
  exit 0
fi

for tool in rg make g++ python3; do
  command -v "$tool" >/dev/null || { echo "setup-vscode-host: '$tool' is missing: run scripts/setup-system.sh first" >&2; exit 1; }
done
[ -f /usr/include/krb5.h ] || [ -f /usr/include/krb5/krb5.h ] ||
  { echo "setup-vscode-host: libkrb5-dev is missing: run scripts/setup-system.sh first" >&2; exit 1; }

started=$(date +%s)
step() { echo "setup-vscode-host: $*"; }
# Quiet npm, but show its output when it fails.
npmq() {
  local log
  log=$(mktemp)
  if ! npm "$@" --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "setup-vscode-host: 'npm $*' failed in $(pwd)" >&2
    exit 1
  fi
  rm -f "$log"
}

mkdir -p "$HOST"
cd "$HOST"
# Its own package.json, so that npm never walks up into the project's.
if [ ! -f package.json ]; then
  printf '{\n  "name": "pgdba-vscode-host",\n  "private": true,\n  "description": "code-server for the e2e rig; made by scripts/setup-vscode-host.sh"\n}\n' >package.json
fi

step "installing code-server@$VERSION (scripts skipped)"
npmq install "code-server@$VERSION" --ignore-scripts --save-exact

step "building argon2 (code-server's native dependency)"
npmq rebuild argon2

cd "$VS"
step "installing VS Code's server dependencies"
npmq install --omit=dev --ignore-scripts

# @vscode/ripgrep's postinstall downloads rg; Debian's rg does the same job.
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf /usr/bin/rg node_modules/@vscode/ripgrep/bin/rg

step "building native modules (kerberos node-pty @vscode/spdlog @parcel/watcher native-watchdog @vscode/deviceid)"
# node-pty's install script calls npx; this machine's npm config says yes=false.
npm_config_yes=true npmq rebuild kerberos node-pty @vscode/spdlog @parcel/watcher native-watchdog @vscode/deviceid

ln -sfn node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)

step "installing the built-in extensions' dependencies"
(cd extensions && npmq install --omit=dev --ignore-scripts)

# npm rebuild exits 0 even when a module's build was skipped: check each native module's .node
# file is there (argon2 keeps it under lib/binding, @parcel/watcher ships a prebuilt package).
missing=()
check() { [ -n "$(find "$1" -name "$2" -print -quit 2>/dev/null)" ] || missing+=("$1"); }
check "$HOST/node_modules/argon2/lib/binding" argon2.node
check "$VS/node_modules/@parcel/watcher-linux-x64-glibc" watcher.node
for m in kerberos node-pty @vscode/spdlog native-watchdog @vscode/deviceid; do
  check "$VS/node_modules/$m/build/Release" '*.node'
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-vscode-host: native modules not built: ${missing[*]}" >&2
  exit 1
fi
"$HOST/node_modules/.bin/code-server" --version >/dev/null ||
  { echo "setup-vscode-host: code-server does not start (--version failed)" >&2; exit 1; }

touch "$STAMP"
step "installed code-server $VERSION in $HOST in $(($(date +%s) - started)) s; $(du -sh "$HOST" | cut -f1) on disk"
