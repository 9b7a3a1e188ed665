#!/usr/bin/env bash
# A one-node Slurm cluster on localhost: munged, slurmctld and slurmd, with
# every file (configuration, keys, state, logs, pid files) under DIR.
#
#   bash scripts/slurm/cluster.sh start DIR   # starts the daemons, waits for the node to be idle
#   export SLURM_CONF=DIR/slurm.conf           # sbatch, squeue, scancel ... then use this cluster
#   bash scripts/slurm/cluster.sh stop DIR    # stops the daemons it started, by their pid files
#
# Needs root and Debian's slurm-wlm and munge (scripts/install-solvers.sh).
# If a daemon does not start, `start` prints its log and exits 1.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$(realpath -m "$2")
here=$(dirname "$(realpath "$0")")
daemons="slurmd slurmctld munged"

pid_of() { [ -s "$dir/$1.pid" ] && cat "$dir/$1.pid" || true; }
alive() { local p; p=$(pid_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
# true while a daemon has not written its pid file yet (it forks first), or is running
starting() { local p; p=$(pid_of "$1"); [ -z "$p" ] || kill -0 "$p" 2>/dev/null; }

fail() {
  echo "cluster.sh: $1 did not start; its log ($2):" >&2
  cat "$2" >&2 2>/dev/null || echo "(no log)" >&2
  "$0" stop "$dir" >/dev/null 2>&1 || true
  exit 1
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'; }

case $cmd in
start)
  for b in munged mungekey slurmctld slurmd sinfo; do
    command -v "$b" >/dev/null || { echo "cluster.sh: $b not found (install slurm-wlm and munge: bash scripts/install-solvers.sh)" >&2; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { echo "cluster.sh: needs root (slurmd starts jobs as their users)" >&2; exit 1; }
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
  chmod 700 "$dir" "$dir/munge"
  # munge: a key of our own, a socket of our own
  [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key"
  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed" \
    || fail munged "$dir/munged.log"
  host=$(hostname -s)
  sed -e "s|@DIR@|$dir|g" -e "s|@HOST@|$host|g" -e "s|@NODE@|relucert-node|g" \
      -e "s|@CPUS@|$(nproc)|g" -e "s|@CTLD_PORT@|$(free_port)|g" -e "s|@SLURMD_PORT@|$(free_port)|g" \
      "$here/slurm.conf.in" > "$dir/slurm.conf"
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -f "$dir/slurm.conf" || fail slurmctld "$dir/slurmctld.log"
  slurmd -f "$dir/slurm.conf" -N relucert-node || fail slurmd "$dir/slurmd.log"
  for _ in $(seq 1 60); do
    starting slurmctld || fail slurmctld "$dir/slurmctld.log"
    starting slurmd || fail slurmd "$dir/slurmd.log"
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [ "$state" = idle ] && { echo "$dir/slurm.conf"; exit 0; }
    sleep 0.5
  done
  fail "the node (state: ${state:-none})" "$dir/slurmd.log"
  ;;
stop)
  for d in $daemons; do
    p=$(pid_of "$d")
    [ -n "$p" ] || continue
    kill "$p" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
    rm -f "$dir/$d.pid"
  done
  ;;
*) usage ;;
esac
