# shellcheck shell=bash
# Designate (DNS as a service) in the lab, sourced by lab/up after install.sh and
# configure.sh. Debian's designate-common carries every entry point, so no service package
# (init scripts) is installed. No DNS server runs: the pool's target is the `fake` back end
# and designate-mdns answers the worker's NOTIFY and serial polls (templates/designate-pools.yaml).
#
#   designate-api       uwsgi on DESIGNATE_PORT (keystone service type `dns`, both regions)
#   designate-central   RPC; owns the database
#   designate-mdns      DNS on DESIGNATE_MDNS_PORT (loopback), answers from the database
#   designate-worker    pushes zones to the pool's targets, then polls mdns until in sync
#   designate-producer  periodic tasks (zone purge, delayed NOTIFY)

LAB_PACKAGES+=(designate-common python3-designate)
OPENSTACK_DBS+=(designate)
DESIGNATE_DAEMONS=(designate-central designate-mdns designate-producer designate-api)

configure_designate() {
  mkdir -p "$LAB/etc/designate" "$LAB/state/designate/lock"
  export DESIGNATE_PORT DESIGNATE_MDNS_PORT DB_DESIGNATE PW_DESIGNATE
  DB_DESIGNATE="$(db_url designate designate)"
  PW_DESIGNATE="$(secret ks-designate)"
  render designate.conf "$LAB/etc/designate/designate.conf"
  render designate-pools.yaml "$LAB/etc/designate/pools.yaml"
  ln -sfn /usr/share/designate-common/api-paste.ini "$LAB/etc/designate/api-paste.ini"
}

sync_designate_db() {
  done_once db-designate && return 0
  designate-manage --config-file "$LAB/etc/designate/designate.conf" database sync \
    >"$LAB/log/db-sync-designate.log" 2>&1 || die "designate schema migration failed, see $LAB/log/db-sync-designate.log"
  mark_done db-designate
}

start_designate-api() {
  uwsgi_app designate-api "$DESIGNATE_PORT" /usr/bin/designate-api-wsgi 2 \
    --env "OS_DESIGNATE_CONFIG_DIR=$LAB/etc/designate"
}
designate_daemon() {
  start_daemon "designate-$1" "$PY" "/usr/bin/designate-$1" --config-file "$LAB/etc/designate/designate.conf"
}
start_designate-central() { designate_daemon central; }
start_designate-mdns() { designate_daemon mdns; }
start_designate-producer() { designate_daemon producer; }
start_designate-worker() { designate_daemon worker; }

# The pool lives in the database and `pool update` goes through designate-central (RPC), so
# it runs once central is up, and again only when pools.yaml changes. The worker caches the
# pool: it starts (or restarts) after the update.
update_designate_pool() {
  local sum tries
  sum="$(sha256sum <"$LAB/etc/designate/pools.yaml" | cut -c1-16)"
  [[ "$(cat "$(marker designate-pool)" 2>/dev/null)" == "$sum" ]] && return 0
  for tries in 1 2 3 4 5 6; do
    if designate-manage --config-file "$LAB/etc/designate/designate.conf" pool update \
      --file "$LAB/etc/designate/pools.yaml" >>"$LAB/log/designate-manage.log" 2>&1; then
      echo "$sum" >"$(marker designate-pool)"
      local pid
      pid="$(service_pid designate-worker)" && stop_pid "$pid" 20
      log "   designate pool updated (try $tries)"
      return 0
    fi
    running designate-central || break
    sleep 5
  done
  die "designate-manage pool update failed, see $LAB/log/designate-manage.log and $LAB/log/designate-central.log"
}

start_designate() {
  local svc
  for svc in "${DESIGNATE_DAEMONS[@]}"; do
    start_service "$svc"
  done
  update_designate_pool
  start_service designate-worker
  for svc in "${DESIGNATE_DAEMONS[@]}" designate-worker; do
    wait_ready "$svc" 120 || die "$svc did not come up, see $LAB/log/$svc.log"
  done
}
