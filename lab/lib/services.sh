# shellcheck shell=bash
# How each lab daemon is started (sourced by lab/up). Each start_<service> runs the daemon in
# the foreground under start_daemon, which records its pid in $LAB/run/<service>.pid.

# uwsgi_app SERVICE PORT WSGI_SCRIPT THREADS [uwsgi options...]
# Keep-alive through uwsgi's http-socket gives connection resets to the clients, hence
# "Connection: close". Eventlet-based apps (nova, cinder) need a single thread.
uwsgi_app() {
  local svc="$1" port="$2" script="$3" threads="$4"
  shift 4
  start_daemon "$svc" /usr/bin/uwsgi_python3 \
    --http-socket "$LAB_HOST:$port" --wsgi-file "$script" \
    --master --processes 1 --threads "$threads" --enable-threads --lazy-apps --need-app \
    --die-on-term --worker-reload-mercy 5 --buffer-size 65535 --disable-logging \
    --add-header "Connection: close" --procname-prefix-spaced "lab-$svc" "$@"
}

start_mariadb() {
  start_daemon mariadb /usr/sbin/mariadbd --no-defaults --user=mysql \
    --datadir="$LAB/state/mysql" --socket="$LAB/run/mysql/mysqld.sock" --skip-networking \
    --pid-file="$LAB/run/mysql/mysqld.pid" --log-error="$LAB/log/mariadb.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --max-connections=2000 --innodb-buffer-pool-size=128M --innodb-log-file-size=32M \
    --innodb-flush-log-at-trx-commit=2 \
    --performance-schema=OFF --skip-name-resolve --skip-log-bin
}

start_postgresql() {
  # After a crash (or the machine's processes being killed) postmaster.pid stays behind, and
  # postgres refuses to start if its pid now belongs to some other live process.
  local lock="$LAB/state/postgresql/postmaster.pid" pid
  if ! running postgresql && [[ -e "$lock" ]]; then
    pid="$(head -1 "$lock")"
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres ]] || rm -f "$lock"
  fi
  start_daemon postgresql setpriv --reuid=postgres --regid=postgres --init-groups -- \
    "$PG_BIN/postgres" -D "$LAB/state/postgresql" \
    -c listen_addresses="$LAB_HOST" -c port="$PG_PORT" \
    -c unix_socket_directories="$LAB/run/postgresql" -c shared_buffers=32MB \
    -c max_connections=100 -c logging_collector=off
}

start_epmd() {
  start_daemon epmd setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- \
    /usr/bin/epmd -address "$LAB_HOST" -port "$EPMD_PORT"
}

start_rabbitmq() {
  # RUNNING_UNDER_SYSTEMD makes the start script exec the Erlang VM, so the pid is the broker's.
  start_daemon rabbitmq env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$LAB/state/rabbitmq" \
    LANG=C.UTF-8 RUNNING_UNDER_SYSTEMD=1 \
    RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS="$LAB_HOST" \
    RABBITMQ_NODE_PORT="$RABBIT_PORT" RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" \
    ERL_EPMD_ADDRESS="$LAB_HOST" ERL_EPMD_PORT="$EPMD_PORT" \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" \
    RABBITMQ_CONFIG_FILE="$LAB/etc/rabbitmq/rabbitmq.conf" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$LAB/etc/rabbitmq/enabled_plugins" \
    RABBITMQ_MNESIA_BASE="$LAB/state/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$LAB/log/rabbitmq" \
    RABBITMQ_PID_FILE="$LAB/state/rabbitmq/rabbit.pid" \
    setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups -- \
    /usr/lib/rabbitmq/bin/rabbitmq-server
}

start_keystone() {
  uwsgi_app keystone "$KEYSTONE_PORT" /usr/bin/keystone-wsgi-public 4 \
    --env "OS_KEYSTONE_CONFIG_DIR=$LAB/etc/keystone"
}
start_placement() {
  uwsgi_app placement "$PLACEMENT_PORT" /usr/bin/placement-api 2 \
    --env "OS_PLACEMENT_CONFIG_DIR=$LAB/etc/placement"
}
start_glance() {
  uwsgi_app glance "$GLANCE_PORT" /usr/bin/glance-wsgi-api 1 \
    --env "OS_GLANCE_CONFIG_DIR=$LAB/etc/glance"
}
start_neutron() {
  # lab/py holds the lab's ML2 mechanism driver and its entry-point registration
  start_daemon neutron env PYTHONPATH="$LAB_SRC/py" "$PY" /usr/bin/neutron-server \
    --config-file "$LAB/etc/neutron/neutron.conf" --config-file "$LAB/etc/neutron/ml2_conf.ini"
}
start_nova-api() {
  uwsgi_app nova-api "$NOVA_PORT" /usr/bin/nova-api-wsgi 1 --env "OS_NOVA_CONFIG_DIR=$LAB/etc/nova"
}
nova_daemon() {
  start_daemon "nova-$1" "$PY" "$LAB_SRC/py/run.py" "nova-$1" "nova.cmd.$1:main" \
    --config-file "$LAB/etc/nova/$2"
}
start_nova-conductor() { nova_daemon conductor nova.conf; }
start_nova-scheduler() { nova_daemon scheduler nova.conf; }
# start_nova-compute N: the fake hypervisor lab-compute-N
start_nova-compute() {
  start_daemon "nova-compute-$1" "$PY" "$LAB_SRC/py/run.py" nova-compute nova.cmd.compute:main \
    --config-file "$LAB/etc/nova/nova-compute-$1.conf"
}
start_cinder-api() {
  uwsgi_app cinder-api "$CINDER_PORT" /usr/bin/cinder-wsgi 1 \
    --pyargv "--config-file $LAB/etc/cinder/cinder.conf"
}
cinder_daemon() {
  start_daemon "cinder-$1" "$PY" "$LAB_SRC/py/run.py" "cinder-$1" "cinder.cmd.$1:main" \
    --config-file "$LAB/etc/cinder/cinder.conf"
}
start_cinder-scheduler() { cinder_daemon scheduler; }
start_cinder-volume() { cinder_daemon volume; }
start_octavia-api() {
  uwsgi_app octavia-api "$OCTAVIA_PORT" /usr/bin/octavia-wsgi 2 \
    --pyargv "--config-file $LAB/etc/octavia/octavia.conf --config-file $LAB/etc/octavia/octavia-amp.conf"
}
start_octavia-worker() {
  start_daemon octavia-worker "$PY" /usr/bin/octavia-worker \
    --config-file "$LAB/etc/octavia/octavia.conf" --config-file "$LAB/etc/octavia/octavia-amp.conf"
}
swift_server() {
  start_daemon "swift-$1" "$PY" "$LAB_SRC/py/swift_server.py" "$1" "$LAB/etc/swift/$1-server.conf"
}
start_swift-account() { swift_server account; }
start_swift-container() { swift_server container; }
start_swift-object() { swift_server object; }
start_swift-proxy() { swift_server proxy; }

# ---------------------------------------------------------------- restart on change
# A daemon reads its configuration once, when it starts, while lab/up renders the templates on
# every run: so each start records a sum of what the daemon read ($LAB/run/<service>.inputs), and
# lab/up restarts a running daemon whose inputs changed since, or that has no record (started by
# an older lab/up: what it read is unknown).

# service_inputs SERVICE: the files the service reads when it starts, one a line: its rendered
# configuration and the lab's own Python it loads.
service_inputs() {
  case "$1" in
    nova-compute-*) printf '%s\n' "$LAB/etc/nova/$1.conf" ;;
    nova-*) printf '%s\n' "$LAB/etc/nova/nova.conf" ;;
    cinder-volume) printf '%s\n' "$LAB/etc/cinder/cinder.conf" "$LAB_SRC/py/sovstack_lab_cinder.py" ;;
    cinder-*) printf '%s\n' "$LAB/etc/cinder/cinder.conf" ;;
    neutron) printf '%s\n' "$LAB/etc/neutron/neutron.conf" "$LAB/etc/neutron/ml2_conf.ini" "$LAB_SRC/py/sovstack_lab_ml2.py" ;;
    swift-*) printf '%s\n' "$LAB/etc/swift/${1#swift-}-server.conf" ;;
    *) find "$LAB/etc/${1%%-*}" -maxdepth 1 -type f 2>/dev/null | sort ;; # e.g. octavia-api: etc/octavia/*
  esac
}

# inputs_sum SERVICE: a sum of the names and contents of the service's inputs.
inputs_sum() {
  local f
  service_inputs "$1" | while IFS= read -r f; do
    echo "$f"
    cat "$f" 2>/dev/null || true
  done | sha256sum | cut -c1-16
}

# restart_if_changed SERVICE: stops the running service if it started from other inputs.
restart_if_changed() {
  local svc="$1" pid
  pid="$(service_pid "$svc")" || return 0
  [[ "$(cat "$LAB/run/$svc.inputs" 2>/dev/null)" == "$(inputs_sum "$svc")" ]] && return 0
  log "   $svc: configuration changed since it started, restarting it"
  stop_pid "$pid" 20
}

# start_service SERVICE: (re)starts the service unless it runs with its current configuration;
# dispatches to start_<service> (nova-compute-N: start_nova-compute N).
start_service() {
  restart_if_changed "$1"
  case "$1" in
    nova-compute-*) start_nova-compute "${1##*-}" ;;
    *) "start_$1" ;;
  esac
  inputs_sum "$1" >"$LAB/run/$1.inputs"
}
