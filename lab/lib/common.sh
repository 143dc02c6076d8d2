# shellcheck shell=bash disable=SC2034 # (variables are used by the scripts that source this file)
# Shared settings and helpers for lab/up, lab/down, lab/status, lab/smoke and lab/env.
# Sourced, never run. Everything the lab writes lives under $LAB (SOVSTACK_LAB_DIR).

LAB_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAB="${SOVSTACK_LAB_DIR:-/var/lib/sovstack-lab}"
PY=/usr/bin/python3 # a pyenv python3 may come first on PATH: always use Debian's

# Loopback ports. The cloud profiles in config/lab/clouds/ name KEYSTONE_PORT and PG_PORT:
# change them together.
LAB_HOST=127.0.0.1
KEYSTONE_PORT=5000
GLANCE_PORT=9292
NOVA_PORT=8774
PLACEMENT_PORT=8778
NEUTRON_PORT=9696
CINDER_PORT=8776
OCTAVIA_PORT=9876
SWIFT_PORT=8080
DESIGNATE_PORT=9001
DESIGNATE_MDNS_PORT=5354 # designate-mdns (DNS, loopback): the lab's only DNS server
SWIFT_OBJECT_PORT=6200
SWIFT_CONTAINER_PORT=6201
SWIFT_ACCOUNT_PORT=6202
RABBIT_PORT=5672
RABBIT_DIST_PORT=25672
EPMD_PORT=4369
PG_BIN=/usr/lib/postgresql/15/bin
PG_PORT=15432 # PostgreSQL for OpenTofu's pg state backend (not 5432: the image has a system cluster there)
# MariaDB (the OpenStack databases) listens on a unix socket only: $LAB/run/mysql/mysqld.sock

REGIONS=(fr1 eu-west-0) # the first region is the one services use between themselves
CLOUDS=(lab-sovereign lab-vendor)

# Fake hypervisors (nova-compute-1..N, hosts lab-compute-1..N): an anti-affinity server
# group of N servers needs N of them. ~140 MiB each.
COMPUTES="${SOVSTACK_LAB_COMPUTES:-3}"
[[ "$COMPUTES" =~ ^[1-9][0-9]?$ ]] || { echo "SOVSTACK_LAB_COMPUTES must be 1..99" >&2; exit 2; }
COMPUTE_SERVICES=()
for ((_n = 1; _n <= COMPUTES; _n++)); do COMPUTE_SERVICES+=("nova-compute-$_n"); done

# Every daemon the lab runs, in start order.
SERVICES=(
  mariadb postgresql epmd rabbitmq
  keystone placement glance neutron
  nova-api nova-conductor nova-scheduler "${COMPUTE_SERVICES[@]}"
  cinder-api cinder-scheduler cinder-volume
  octavia-api octavia-worker
  designate-central designate-mdns designate-producer designate-api designate-worker
  swift-account swift-container swift-object swift-proxy
)
INFRA_SERVICES=(mariadb postgresql epmd rabbitmq)

# service -> URL answered when it is ready (empty: no HTTP API; checked by pid only).
service_url() {
  case "$1" in
    keystone) echo "http://$LAB_HOST:$KEYSTONE_PORT/v3" ;;
    placement) echo "http://$LAB_HOST:$PLACEMENT_PORT/" ;;
    glance) echo "http://$LAB_HOST:$GLANCE_PORT/versions" ;;
    neutron) echo "http://$LAB_HOST:$NEUTRON_PORT/" ;;
    nova-api) echo "http://$LAB_HOST:$NOVA_PORT/" ;;
    cinder-api) echo "http://$LAB_HOST:$CINDER_PORT/" ;;
    octavia-api) echo "http://$LAB_HOST:$OCTAVIA_PORT/" ;;
    designate-api) echo "http://$LAB_HOST:$DESIGNATE_PORT/" ;;
    designate-mdns) echo "dns://$LAB_HOST:$DESIGNATE_MDNS_PORT/" ;;
    swift-proxy) echo "http://$LAB_HOST:$SWIFT_PORT/healthcheck" ;;
    swift-account) echo "http://$LAB_HOST:$SWIFT_ACCOUNT_PORT/healthcheck" ;;
    swift-container) echo "http://$LAB_HOST:$SWIFT_CONTAINER_PORT/healthcheck" ;;
    swift-object) echo "http://$LAB_HOST:$SWIFT_OBJECT_PORT/healthcheck" ;;
    postgresql) echo "postgres://sovstack@$LAB_HOST:$PG_PORT/" ;;
    rabbitmq) echo "amqp://$LAB_HOST:$RABBIT_PORT/" ;;
    epmd) echo "epmd://$LAB_HOST:$EPMD_PORT/" ;;
    mariadb) echo "unix:$LAB/run/mysql/mysqld.sock" ;;
    *) echo "" ;;
  esac
}

# ---------------------------------------------------------------- output and timing
_t0=$SECONDS
_step_name=""
_step_t0=$SECONDS
log() { printf '[lab %4ds] %s\n' "$((SECONDS - _t0))" "$*"; }
die() { printf '[lab %4ds] ERROR: %s\n' "$((SECONDS - _t0))" "$*" >&2; exit 1; }
# step NAME: closes the previous step (printing its elapsed time) and opens a new one.
step() {
  step_done
  _step_name="$1"
  _step_t0=$SECONDS
  log "-> $_step_name"
}
step_done() {
  if [[ -n "$_step_name" ]]; then
    log "   done: $_step_name ($((SECONDS - _step_t0))s)"
    _step_name=""
  fi
}

# ---------------------------------------------------------------- pids
# A pid file holds "PID STARTTIME": a pid left over from an earlier boot or a killed lab may
# belong to another process by now, and is never taken for ours.
pidfile() { echo "$LAB/run/$1.pid"; }

# proc_state PID / proc_start PID: fields of /proc/PID/stat (the name in parentheses may hold spaces).
proc_state() { sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1; }
proc_start() { sed -E 's/^.*\) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# alive PID: the process exists and is not a zombie (PID 1 here does not reap orphans).
alive() {
  local state
  [[ -n "$1" ]] || return 1
  state="$(proc_state "$1")"
  [[ -n "$state" && "$state" != Z && "$state" != X ]]
}

# service_pid SERVICE: prints the pid of the service's live process, if it has one.
service_pid() {
  local f pid start
  f="$(pidfile "$1")"
  [[ -s "$f" ]] || return 1
  read -r pid start <"$f" || true
  alive "$pid" && [[ "$(proc_start "$pid")" == "$start" ]] || return 1
  echo "$pid"
}

running() { service_pid "$1" >/dev/null; }

# start_daemon SERVICE CMD...: runs CMD in its own session, output to $LAB/log/SERVICE.log,
# and records its pid. CMD must stay in the foreground (no self-daemonising).
start_daemon() {
  local svc="$1" pid
  shift
  running "$svc" && return 0
  (
    # A daemon keeps nothing of its caller but the log: an inherited descriptor (a `flock` around lab/up,
    # a CI runner's pipe) would otherwise stay held for the daemon's whole life.
    for fd in /proc/$BASHPID/fd/*; do
      fd="${fd##*/}"
      ((fd > 2)) && eval "exec $fd>&-" 2>/dev/null
    done
    exec setsid "$@" >>"$LAB/log/$svc.log" 2>&1 </dev/null
  ) &
  pid=$!
  echo "$pid $(proc_start "$pid")" >"$(pidfile "$svc")"
}

# stop_pid PID [TIMEOUT] [SIGNAL]: SIGNAL (default TERM), then KILL after TIMEOUT seconds.
stop_pid() {
  local pid="$1" timeout="${2:-15}" sig="${3:-TERM}" i
  alive "$pid" || return 0
  kill "-$sig" "$pid" 2>/dev/null || return 0
  for ((i = 0; i < timeout * 5; i++)); do
    alive "$pid" || return 0
    sleep 0.2
  done
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 25; i++)); do
    alive "$pid" || return 0
    sleep 0.2
  done
}

# tree_pids PID: the process and all its descendants (live ones).
tree_pids() {
  ps -e -o pid=,ppid=,stat= | awk -v root="$1" '
    $3 !~ /^Z/ { parent[$1] = $2; pids[++n] = $1 }
    END {
      keep[root] = 1; changed = 1
      while (changed) {
        changed = 0
        for (i = 1; i <= n; i++) { p = pids[i]; if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; changed = 1 } }
      }
      for (p in keep) if (p in parent) print p
    }'
}

# mem_kb PID...: "RSS PSS" in KiB, summed over the given processes.
mem_kb() {
  local pid rss=0 pss=0 r p
  for pid in "$@"; do
    [[ -r "/proc/$pid/smaps_rollup" ]] || continue
    r="$(awk '/^Rss:/ {print $2}' "/proc/$pid/smaps_rollup")"
    p="$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")"
    rss=$((rss + ${r:-0}))
    pss=$((pss + ${p:-0}))
  done
  echo "$rss $pss"
}

# ---------------------------------------------------------------- probes
# http_up URL: any HTTP answer (even 401/404) means the server is up.
http_up() {
  local code
  code="$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$1" 2>/dev/null)" || return 1
  [[ "$code" != 000 ]]
}

port_open() { (exec 3<>"/dev/tcp/$LAB_HOST/$1") 2>/dev/null; }

# service_ready SERVICE: the service's pid is alive and, where it has one, its endpoint answers.
service_ready() {
  local svc="$1"
  running "$svc" || return 1
  case "$svc" in
    mariadb) mysql_cmd -e 'select 1' >/dev/null 2>&1 ;;
    # The port opens while the server still replays its WAL ("the database system is starting
    # up"); pg_isready answers 0 only once it accepts connections.
    postgresql) "$PG_BIN/pg_isready" -q -h "$LAB/run/postgresql" -p "$PG_PORT" ;;
    rabbitmq) port_open "$RABBIT_PORT" ;;
    epmd) port_open "$EPMD_PORT" ;;
    designate-mdns) port_open "$DESIGNATE_MDNS_PORT" ;;
    *)
      local url
      url="$(service_url "$svc")"
      [[ -z "$url" ]] || http_up "$url"
      ;;
  esac
}

# wait_ready SERVICE TIMEOUT: polls service_ready; fails early if the process died.
wait_ready() {
  local svc="$1" timeout="${2:-60}" i
  for ((i = 0; i < timeout * 4; i++)); do
    service_ready "$svc" && return 0
    running "$svc" || return 1
    sleep 0.25
  done
  return 1
}

mysql_cmd() { mysql --no-defaults -uroot --socket="$LAB/run/mysql/mysqld.sock" "$@"; }

# secret NAME [LENGTH]: a random password kept in $LAB/secrets/NAME (created once, mode 600).
secret() {
  local f="$LAB/secrets/$1" len="${2:-32}"
  if [[ ! -s "$f" ]]; then
    (umask 077 && openssl rand -base64 64 | tr -dc 'A-Za-z0-9' | cut -c "1-$len" | tr -d '\n' >"$f")
  fi
  cat "$f"
}
