#!/usr/bin/env bash
# A Slurm cluster on this one machine, every file (configuration, keys, state,
# logs, pid files) under DIR:
#
#   bash scripts/slurm/cluster.sh start DIR            # one node on localhost: munged, slurmctld, slurmd
#   bash scripts/slurm/cluster.sh start DIR --nodes 3  # 3 compute nodes, each slurmd in its own network
#                                                      # and UTS namespace (see below)
#   export SLURM_CONF=DIR/slurm.conf PATH=DIR/bin:$PATH  # sbatch, squeue, scancel ... then use this cluster
#   bash scripts/slurm/cluster.sh kill-node DIR node2  # --nodes only: kills every process of node2 (its
#                                                      # slurmd, its running tasks), as a node failure would
#   bash scripts/slurm/cluster.sh stop DIR             # stops what it started, removes its namespaces
#   bash scripts/slurm/cluster.sh netns-check          # exit 0 if network namespaces can be made here,
#                                                      # else one line on stderr and exit 3
#
# With --nodes N, nothing touches the machine's own network: a namespace
# "relucert-TAG-hub" holds a bridge (10.77.0.0/24, private to these namespaces)
# and slurmctld (hostname relucert-ctl, 10.77.0.1); node K runs in namespace
# "relucert-TAG-nodeK" with hostname nodeK and address 10.77.0.(10+K) on a veth
# pair to the bridge. TAG comes from DIR, so several clusters can run at once.
# One munged serves all (its socket is a file under DIR, which every namespace
# sees). The Slurm commands must reach slurmctld inside the hub namespace, so
# DIR/bin holds wrappers (sbatch, squeue, ...) that run them there: put DIR/bin
# first on PATH, as `start` prints. Setting RELUCERT_NO_NETNS=1 makes the script
# behave as where namespaces are refused (for testing the skip).
#
# Needs root, Debian's slurm-wlm and munge, and (for --nodes) iproute2 and
# util-linux's unshare (scripts/install-solvers.sh). If a daemon does not
# start, `start` prints its log, stops what it started and exits 1.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR [--nodes N] | stop DIR | kill-node DIR NODE | netns-check" >&2
  exit 2
}
[ $# -ge 1 ] || usage
cmd=$1
here=$(dirname "$(realpath "$0")")
clients="sbatch squeue scontrol scancel sinfo sacct srun"

# whether network namespaces can be made here: exit 0, or one line and exit 3
netns_check() {
  if [ "${RELUCERT_NO_NETNS:-}" = 1 ]; then
    echo "cluster.sh: network namespaces are not permitted here (RELUCERT_NO_NETNS=1)" >&2
    return 3
  fi
  for b in ip nsenter unshare; do
    command -v "$b" >/dev/null || { echo "cluster.sh: network namespaces are not available here ($b not found: bash scripts/install-solvers.sh)" >&2; return 3; }
  done
  local probe="relucert-probe-$$" out
  if ! out=$(ip netns add "$probe" 2>&1); then
    echo "cluster.sh: network namespaces are not permitted here (ip netns add: ${out:-refused})" >&2
    return 3
  fi
  if ! out=$(nsenter --net="/run/netns/$probe" unshare --uts true 2>&1); then
    ip netns del "$probe" 2>/dev/null || true
    echo "cluster.sh: UTS namespaces are not permitted here (unshare --uts: ${out:-refused})" >&2
    return 3
  fi
  ip netns del "$probe"
}

if [ "$cmd" = netns-check ]; then
  [ $# -eq 1 ] || usage
  netns_check
  exit $?
fi

[ $# -ge 2 ] || usage
dir=$(realpath -m "$2")
shift 2
tag=$(printf '%s' "$dir" | sha256sum | cut -c1-8)
hub="relucert-$tag-hub"

pid_of() { [ -s "$dir/$1.pid" ] && cat "$dir/$1.pid" || true; }
# true while a daemon has not written its pid file yet (it forks first), or is running
starting() { local p; p=$(pid_of "$1"); [ -z "$p" ] || kill -0 "$p" 2>/dev/null; }
# the node names of a --nodes cluster (none for a one-node cluster)
nodes_of() { [ -s "$dir/nodes" ] && cat "$dir/nodes" || true; }

fail() {
  echo "cluster.sh: $1 did not start; its log ($2):" >&2
  cat "$2" >&2 2>/dev/null || echo "(no log)" >&2
  "$0" stop "$dir" >/dev/null 2>&1 || true
  exit 1
}

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'; }

# stops a daemon by its pid file: TERM, then KILL after 10 s
stop_pid() {
  local p
  p=$(pid_of "$1")
  [ -n "$p" ] || return 0
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$p" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$p" 2>/dev/null && kill -9 "$p" 2>/dev/null || true
  rm -f "$dir/$1.pid"
}

# kills every process in a network namespace (a node's slurmd, slurmstepd, tasks)
kill_netns() {
  local pids
  pids=$(ip netns pids "$1" 2>/dev/null || true)
  [ -z "$pids" ] && return 0
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
  for _ in $(seq 1 40); do [ -z "$(ip netns pids "$1" 2>/dev/null || true)" ] && break; sleep 0.25; done
}

# the network of a --nodes cluster: the hub namespace with its bridge, one namespace per node
make_network() {
  local n=$1 k
  ip netns add "$hub"
  echo "$hub" >> "$dir/netns"
  ip -n "$hub" link set lo up
  ip -n "$hub" link add br0 type bridge
  ip -n "$hub" addr add 10.77.0.1/24 dev br0
  ip -n "$hub" link set br0 up
  for k in $(seq 1 "$n"); do
    local ns="relucert-$tag-node$k"
    ip netns add "$ns"
    echo "$ns" >> "$dir/netns"
    ip -n "$hub" link add "v$k" type veth peer name eth0 netns "$ns"
    ip -n "$hub" link set "v$k" master br0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "10.77.0.$((10 + k))/24" dev eth0
    ip -n "$ns" link set eth0 up
    echo "node$k" >> "$dir/nodes"
  done
}

# wrappers that run the Slurm commands inside the hub namespace, where slurmctld listens
write_clients() {
  local c real
  mkdir -p "$dir/bin"
  for c in $clients; do
    real=$(command -v "$c" || true)
    [ -n "$real" ] || continue
    printf '#!/bin/sh\n# %s on the relucert test cluster in %s (its slurmctld listens in namespace %s)\nexec nsenter --net=/run/netns/%s %s "$@"\n' \
      "$c" "$dir" "$hub" "$hub" "$real" > "$dir/bin/$c"
    chmod 755 "$dir/bin/$c"
  done
}

# waits until sinfo reports every node idle
wait_idle() {
  local want=$1 state=""
  for _ in $(seq 1 120); do
    starting slurmctld || fail slurmctld "$dir/slurmctld.log"
    state=$(sinfo -h -o '%T %D' 2>/dev/null || true)
    [ "$state" = "idle $want" ] && return 0
    sleep 0.5
  done
  fail "the cluster (sinfo: ${state:-none})" "$dir/slurmctld.log"
}

start() {
  local nodes=0
  while [ $# -gt 0 ]; do
    case $1 in
    --nodes)
      [ $# -ge 2 ] && [[ $2 =~ ^[1-9][0-9]?$ ]] || { echo "cluster.sh: --nodes needs a number of nodes from 1 to 99" >&2; exit 2; }
      nodes=$2
      shift 2
      ;;
    *) usage ;;
    esac
  done
  for b in munged mungekey slurmctld slurmd sinfo; do
    command -v "$b" >/dev/null || { echo "cluster.sh: $b not found (install slurm-wlm and munge: bash scripts/install-solvers.sh)" >&2; exit 1; }
  done
  [ "$(id -u)" = 0 ] || { echo "cluster.sh: needs root (slurmd starts jobs as their users)" >&2; exit 1; }
  [ "$nodes" = 0 ] || netns_check || exit 3
  [ -n "$(pid_of slurmctld)" ] && kill -0 "$(pid_of slurmctld)" 2>/dev/null && { echo "cluster.sh: a cluster is running in $dir (stop it first)" >&2; exit 1; }
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool"
  chmod 700 "$dir" "$dir/munge"
  rm -f "$dir/nodes" "$dir/netns"
  # munge: a key of our own, a socket of our own
  [ -f "$dir/munge/munge.key" ] || mungekey --create --keyfile="$dir/munge/munge.key"
  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed" \
    || fail munged "$dir/munged.log"
  local ctl_host ctl_addr node_lines="" partition_nodes k
  if [ "$nodes" = 0 ]; then
    ctl_host=$(hostname -s)
    ctl_addr=127.0.0.1
    node_lines="NodeName=relucert-node NodeHostname=$ctl_host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN"
    partition_nodes=relucert-node
  else
    make_network "$nodes" || fail "the network" /dev/null
    ctl_host=relucert-ctl
    ctl_addr=10.77.0.1
    for k in $(seq 1 "$nodes"); do
      node_lines="$node_lines${node_lines:+\n}NodeName=node$k NodeHostname=node$k NodeAddr=10.77.0.$((10 + k)) CPUs=1 State=UNKNOWN"
    done
    partition_nodes="node[1-$nodes]"
  fi
  sed -e "s|@DIR@|$dir|g" -e "s|@CTLD_HOST@|$ctl_host|g" -e "s|@CTLD_ADDR@|$ctl_addr|g" \
    -e "s|@CTLD_PORT@|$(free_port)|g" -e "s|@SLURMD_PORT@|$(free_port)|g" \
    -e "s|@NODES@|$node_lines|" -e "s|@PARTITION_NODES@|$partition_nodes|g" \
    "$here/slurm.conf.in" > "$dir/slurm.conf"
  export SLURM_CONF="$dir/slurm.conf"
  if [ "$nodes" = 0 ]; then
    slurmctld -f "$dir/slurm.conf" || fail slurmctld "$dir/slurmctld.log"
    mkdir -p "$dir/spool/relucert-node"
    slurmd -f "$dir/slurm.conf" -N relucert-node || fail slurmd "$dir/slurmd-relucert-node.log"
    wait_idle 1
    echo "$dir/slurm.conf"
    return 0
  fi
  # nsenter, not `ip netns exec`: that mounts a new /sys, without the cgroup file systems slurmd looks for
  nsenter --net="/run/netns/$hub" unshare --uts sh -c "hostname $ctl_host && exec slurmctld -f '$dir/slurm.conf'" \
    || fail slurmctld "$dir/slurmctld.log"
  for k in $(seq 1 "$nodes"); do
    mkdir -p "$dir/spool/node$k"
    nsenter --net="/run/netns/relucert-$tag-node$k" unshare --uts sh -c "hostname node$k && exec slurmd -f '$dir/slurm.conf' -N node$k" \
      || fail "slurmd of node$k" "$dir/slurmd-node$k.log"
  done
  write_clients
  PATH="$dir/bin:$PATH" wait_idle "$nodes"
  echo "$dir/slurm.conf"
}

stop() {
  local ns
  # a --nodes cluster: every process of every namespace (slurmd, slurmstepd, tasks, slurmctld), then the namespaces
  if [ -s "$dir/netns" ]; then
    while read -r ns; do kill_netns "$ns"; done < <(tac "$dir/netns")
    while read -r ns; do ip netns del "$ns" 2>/dev/null || true; done < "$dir/netns"
    rm -f "$dir/netns" "$dir/nodes" "$dir"/slurmd-*.pid
  fi
  for d in $(cd "$dir" 2>/dev/null && ls slurmd-*.pid 2>/dev/null | sed 's/\.pid$//'); do stop_pid "$d"; done
  stop_pid slurmctld
  stop_pid munged
}

kill_node() {
  [ $# -eq 1 ] || usage
  local node=$1
  grep -qx "$node" <(nodes_of) || { echo "cluster.sh: no node $node in the cluster in $dir (nodes: $(nodes_of | tr '\n' ' '))" >&2; exit 2; }
  kill_netns "relucert-$tag-$node"
  rm -f "$dir/slurmd-$node.pid"
}

case $cmd in
start) start "$@" ;;
stop) [ $# -eq 0 ] || usage; stop ;;
kill-node) kill_node "$@" ;;
*) usage ;;
esac
