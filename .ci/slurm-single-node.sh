#!/usr/bin/env bash
# A single-node Slurm cluster for the sweep tests (test/phase/sweep/slurm.test.ts), on Debian 12,
# as root, without systemd and without cgroups (a container): Debian's slurm-wlm daemons with
# munge authentication, one node "localhost" in partition "debug", process tracking by
# /proc (proctrack/linuxproc) and no task plugin, so nothing needs cgroups.
#   .ci/slurm-single-node.sh start   install what is missing, configure, start; wait until idle
#   .ci/slurm-single-node.sh stop    stop the daemons this script started
#   .ci/slurm-single-node.sh status  the daemons and sinfo
# Idempotent: when a Slurm controller already answers and its node is up, start leaves it alone.
# The PIDs of the daemons it starts are kept in /run/learndyn-slurm/*.pid; stop kills only those.
set -euo pipefail
cmd=${1:-start}
run=/run/learndyn-slurm
mkdir -p "$run"

alive() { [ -s "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }
stop_one() {
  alive "$1" || return 0
  local pid; pid=$(cat "$run/$1.pid"); kill "$pid"
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$run/$1.pid"; echo "stopped $1 ($pid)"
}
# launch NAME PIDFILE LOG COMMAND...: starts a daemon that writes PIDFILE, records its PID; on
# failure prints the end of LOG.
launch() {
  local name=$1 pidfile=$2 log=$3; shift 3
  rm -f "$pidfile"
  "$@" || true
  for _ in $(seq 100); do [ -s "$pidfile" ] && break; sleep 0.1; done
  if [ ! -s "$pidfile" ]; then
    echo "$name did not start; the end of $log:" >&2; tail -5 "$log" >&2 2>/dev/null || true; exit 1
  fi
  cp "$pidfile" "$run/$name.pid"
}
node_up() { case $(sinfo -h -n localhost -o %t 2>/dev/null) in idle* | mix* | alloc* | comp*) return 0 ;; esac; return 1; }

case "$cmd" in
  stop) for d in slurmd slurmctld munged; do stop_one "$d"; done; exit 0 ;;
  status)
    for d in munged slurmctld slurmd; do alive "$d" && echo "$d: pid $(cat "$run/$d.pid")" || echo "$d: not started here"; done
    sinfo 2>&1 || true; exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac

if command -v scontrol >/dev/null && scontrol ping 2>/dev/null | grep -q UP && node_up; then
  echo "Slurm is already running:"; sinfo; exit 0
fi

need=""
for p in munge slurmctld slurmd slurm-client; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need="$need $p"
done
if [ -n "$need" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

# munge: a key readable by munge only, then the daemon (unless a working one answers).
install -d -o munge -g munge -m 0700 /etc/munge /var/lib/munge /var/log/munge
install -d -o munge -g munge -m 0755 /run/munge
[ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  launch munged /run/munge/munged.pid /var/log/munge/munged.log runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid
fi

# Its own state directory: another cluster's state there would make slurmctld refuse to start.
install -d -o slurm -g slurm /var/spool/slurmctld-learndyn /var/log/slurm /run/slurm
install -d /var/spool/slurmd /etc/slurm
cpus=$(nproc)
# Memory for jobs: all but 512 MB (learndyn's scripts ask --mem=2G by default).
mem_mb=$(($(awk '/^MemTotal/ {print int($2 / 1024)}' /proc/meminfo) - 512))
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=learndyn-ci
SlurmctldHost=localhost
SlurmUser=slurm
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld-learndyn
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=localhost CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
# Daemons started here with an older configuration are restarted.
for d in slurmd slurmctld; do stop_one "$d"; done
launch slurmctld /run/slurm/slurmctld.pid /var/log/slurm/slurmctld.log /usr/sbin/slurmctld
# -N localhost: the node name need not be the host name.
launch slurmd /run/slurm/slurmd.pid /var/log/slurm/slurmd.log /usr/sbin/slurmd -N localhost
for _ in $(seq 100); do
  node_up && break
  case $(sinfo -h -n localhost -o %t 2>/dev/null) in
    down* | drain*) scontrol update nodename=localhost state=resume 2>/dev/null || true ;;
  esac
  sleep 0.3
done
node_up || { echo "the Slurm node did not come up:" >&2; sinfo >&2; tail -20 /var/log/slurm/slurmd.log >&2; exit 1; }
sinfo
