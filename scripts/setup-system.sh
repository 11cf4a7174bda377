#!/usr/bin/env bash
# Installs the Debian packages the test rigs and the sandbox need. Idempotent; run as root
# (or with sudo available). Everything else comes from npm.
#   chromium            the browser the e2e rig drives (playwright-core, never a downloaded build)
#   libkrb5-dev         headers for code-server's native 'kerberos' module
#   ripgrep             code-server's search backend (its npm package would download rg)
#   postgresql-client   real pg_dump / pg_restore / pgbench / psql for the tests and benches
#   pgbouncer           a real PgBouncer for the transaction-pooling tests
#   zstd                multi-threaded compression of backups where pg_dump lacks it
#   systemd             systemd-analyze, to verify generated backup units
#   openssh-server      a real sshd the SSH tests start on a loopback port (never the system's)
#   openssl             the TLS tests' throw-away CA and server certificates (verify-full through the hop)
#   pgbadger            the truth for the log reports' counts
#   postgresql-15-hypopg  hypothetical indexes, to prove the index advisor's suggestions
set -euo pipefail
pkgs=(chromium libkrb5-dev ripgrep postgresql-client pgbouncer zstd build-essential pkg-config python3 systemd openssh-server openssl pgbadger postgresql-15-hypopg)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup-system: all Debian packages present (${pkgs[*]})"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# pgbouncer's package starts a system service; the tests run their own instance.
$SUDO systemctl disable --now pgbouncer >/dev/null 2>&1 || true
# The same for sshd and the cluster postgresql-15 creates: the tests start their own.
$SUDO systemctl disable --now ssh postgresql >/dev/null 2>&1 || true
echo "setup-system: done"
