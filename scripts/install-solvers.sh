#!/bin/sh
# Installs the external solvers `relucert crosscheck` and the export tests use:
# the Debian packages z3, cvc5, glpk-utils (glpsol) and coinor-cbc (cbc); and
# Slurm (slurm-wlm: slurmctld, slurmd, sbatch, squeue) with munge, which the
# tests of `relucert slurm` run as a one-node cluster and as a multi-node
# cluster whose nodes live in network namespaces (scripts/slurm/cluster.sh;
# iproute2's `ip` makes the namespaces, util-linux's nsenter and unshare enter them).
# Idempotent and quiet: a package already installed is skipped, `apt-get update`
# runs at most once, and a package the distribution does not have (or any apt
# failure) prints a warning instead of failing the caller. Exit status is 0
# unless apt-get itself is missing and a package was needed.
set -u

packages="z3 cvc5 glpk-utils coinor-cbc slurm-wlm munge iproute2 util-linux"

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=""
for p in $packages; do
  installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-solvers: warning: apt-get not found; not installing:$missing" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-solvers: warning: not root and no sudo; not installing:$missing" >&2
    exit 0
  fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq >/dev/null 2>&1; then
  echo "install-solvers: warning: apt-get update failed; trying to install anyway" >&2
fi

for p in $missing; do
  if ! apt-cache show "$p" >/dev/null 2>&1; then
    echo "install-solvers: warning: package $p is not available in this distribution; skipped" >&2
    continue
  fi
  if ! $SUDO apt-get install -y -qq --no-install-recommends "$p" >/dev/null 2>&1; then
    echo "install-solvers: warning: could not install $p; skipped" >&2
  fi
done

for p in $packages; do
  installed "$p" || echo "install-solvers: warning: $p is not installed" >&2
done
exit 0
