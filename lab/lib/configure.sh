# shellcheck shell=bash
# Lays out $LAB, makes secrets, renders configuration and initialises the databases
# (sourced by lab/up). Every function is idempotent: one-time work leaves a marker in
# $LAB/state/markers/ and is skipped afterwards.

OPENSTACK_DBS=(keystone placement glance neutron nova_api nova nova_cell0 cinder octavia)

marker() { echo "$LAB/state/markers/$1"; }
done_once() { [[ -e "$(marker "$1")" ]]; }
mark_done() { touch "$(marker "$1")"; }

make_dirs() {
  mkdir -p "$LAB"/{etc,log,run,secrets,env,state/markers}
  chmod 755 "$LAB"
  chmod 700 "$LAB/secrets"
  mkdir -p "$LAB"/etc/{keystone,placement,glance,neutron,nova,cinder,octavia,swift,rabbitmq}
  mkdir -p "$LAB"/state/{keystone,glance/images,glance/staging,glance/tasks,neutron/lock}
  mkdir -p "$LAB"/state/{nova/instances,nova/lock,cinder/lock,octavia/lock,octavia/certs,octavia/amphora}
  mkdir -p "$LAB"/state/swift/devices/d1 "$LAB/log/rabbitmq"
  mkdir -p "$LAB/run/mysql" "$LAB/run/postgresql" "$LAB/state/rabbitmq"
  chown mysql:mysql "$LAB/run/mysql"
  chown postgres:postgres "$LAB/run/postgresql"
  chown rabbitmq:rabbitmq "$LAB/state/rabbitmq" "$LAB/log/rabbitmq"
  chmod 700 "$LAB/etc" # rendered files hold passwords
  # Cinder's os-brick looks there when it copies an image into a volume.
  [[ -d /dev/mapper ]] || mkdir -p /dev/mapper
}

# db_url DB USER: SQLAlchemy URL over MariaDB's unix socket.
db_url() {
  echo "mysql+pymysql://$2:$(secret "db-$2")@localhost/$1?unix_socket=$LAB/run/mysql/mysqld.sock&charset=utf8mb4"
}

# Exports what the templates in lab/templates/ refer to.
export_template_vars() {
  export LAB LAB_HOST GLANCE_PORT NEUTRON_PORT OCTAVIA_PORT SWIFT_PORT RABBIT_PORT
  export SWIFT_ACCOUNT_PORT SWIFT_CONTAINER_PORT SWIFT_OBJECT_PORT
  # shellcheck disable=SC2153 # REGIONS comes from common.sh
  export REGION="${REGIONS[0]}"
  export KEYSTONE_URL="http://$LAB_HOST:$KEYSTONE_PORT/v3"
  export TRANSPORT_URL
  TRANSPORT_URL="rabbit://openstack:$(secret rabbit)@$LAB_HOST:$RABBIT_PORT/"
  export DB_KEYSTONE DB_PLACEMENT DB_GLANCE DB_NEUTRON DB_NOVA_API DB_NOVA DB_CINDER DB_OCTAVIA
  DB_KEYSTONE="$(db_url keystone keystone)"
  DB_PLACEMENT="$(db_url placement placement)"
  DB_GLANCE="$(db_url glance glance)"
  DB_NEUTRON="$(db_url neutron neutron)"
  DB_NOVA_API="$(db_url nova_api nova)"
  DB_NOVA="$(db_url nova nova)"
  DB_CINDER="$(db_url cinder cinder)"
  DB_OCTAVIA="$(db_url octavia octavia)"
  local svc
  for svc in placement glance neutron nova cinder octavia swift; do
    export "PW_${svc^^}=$(secret "ks-$svc")"
  done
  export PW_RABBIT OCTAVIA_CA_PASS OCTAVIA_AMP_PASS OCTAVIA_HEARTBEAT_KEY
  PW_RABBIT="$(secret rabbit)"
  OCTAVIA_CA_PASS="$(secret octavia-ca)"
  OCTAVIA_AMP_PASS="$(secret octavia-amp 32)" # octavia wants exactly 32 characters
  OCTAVIA_HEARTBEAT_KEY="$(secret octavia-heartbeat)"
}

# render TEMPLATE DEST: substitutes only the ${VARS} the template names; all must be set.
render() {
  local src="$LAB_SRC/templates/$1" dst="$2" vars v
  # shellcheck disable=SC2016 # a literal ${NAME}, as envsubst wants its variable list
  vars="$({ grep -o '\${[A-Z0-9_]*}' "$src" || true; } | sort -u | tr '\n' ' ')"
  for v in $vars; do
    v="${v#\$\{}"
    v="${v%\}}"
    [[ -n "${!v:-}" ]] || die "template $1 needs \$$v"
  done
  (umask 077 && envsubst "$vars" <"$src" >"$dst.tmp") && mv "$dst.tmp" "$dst"
}

render_configs() {
  export_template_vars
  render keystone.conf "$LAB/etc/keystone/keystone.conf"
  render placement.conf "$LAB/etc/placement/placement.conf"
  render glance-api.conf "$LAB/etc/glance/glance-api.conf"
  ln -sfn /usr/share/glance-common/glance-api-paste.ini "$LAB/etc/glance/glance-api-paste.ini"
  render neutron.conf "$LAB/etc/neutron/neutron.conf"
  render ml2_conf.ini "$LAB/etc/neutron/ml2_conf.ini"
  render nova.conf "$LAB/etc/nova/nova.conf"
  # Each nova-compute is a hypervisor of its own (`host`), and must not see database URLs
  # (it goes through the conductor, and logs "No DB access allowed" when it finds one).
  local n
  for ((n = 1; n <= COMPUTES; n++)); do
    (umask 077 && grep -v '^connection = ' "$LAB/etc/nova/nova.conf" |
      sed "s/^host = lab-controller$/host = lab-compute-$n/" >"$LAB/etc/nova/nova-compute-$n.conf")
  done
  ln -sfn /usr/share/nova-common/api-paste.ini "$LAB/etc/nova/api-paste.ini"
  render cinder.conf "$LAB/etc/cinder/cinder.conf"
  render octavia.conf "$LAB/etc/octavia/octavia.conf"
  [[ -e "$LAB/etc/octavia/octavia-amp.conf" ]] || : >"$LAB/etc/octavia/octavia-amp.conf"
  local s
  for s in account container object proxy; do
    render "swift-$s-server.conf" "$LAB/etc/swift/$s-server.conf"
  done
  render rabbitmq.conf "$LAB/etc/rabbitmq/rabbitmq.conf"
  echo '[].' >"$LAB/etc/rabbitmq/enabled_plugins"
  chown -R rabbitmq:rabbitmq "$LAB/etc/rabbitmq"
  chmod 711 "$LAB/etc" # rabbitmq reads its own folder; the others stay root-only
}

# ---------------------------------------------------------------- MariaDB
init_mariadb() {
  done_once mariadb-init && return 0
  rm -rf "$LAB/state/mysql"
  mkdir -p "$LAB/state/mysql"
  chown mysql:mysql "$LAB/state/mysql"
  mariadb-install-db --no-defaults --datadir="$LAB/state/mysql" --user=mysql \
    --auth-root-authentication-method=socket --skip-test-db >"$LAB/log/mariadb-init.log" 2>&1 ||
    die "mariadb-install-db failed, see $LAB/log/mariadb-init.log"
  mark_done mariadb-init
}

# Databases and users for every OpenStack service (idempotent SQL, run on each up).
create_openstack_dbs() {
  local sql="" db user
  for db in "${OPENSTACK_DBS[@]}"; do
    user="${db%%_*}"
    sql+="CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4;"
    sql+="CREATE USER IF NOT EXISTS '$user'@'localhost' IDENTIFIED BY '$(secret "db-$user")';"
    sql+="ALTER USER '$user'@'localhost' IDENTIFIED BY '$(secret "db-$user")';"
    sql+="GRANT ALL PRIVILEGES ON \`$db\`.* TO '$user'@'localhost';"
  done
  mysql_cmd -e "$sql" || die "could not create the OpenStack databases"
}

# ---------------------------------------------------------------- PostgreSQL (tofu state)
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
pg_sql() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$LAB/run/postgresql" -p "$PG_PORT" -U postgres -d postgres "$@"; }

pg_password() {
  if [[ -n "${SOVSTACK_LAB_PG_PASSWORD:-}" ]]; then
    (umask 077 && printf '%s' "$SOVSTACK_LAB_PG_PASSWORD" >"$LAB/secrets/pg-sovstack")
  fi
  secret pg-sovstack
}

init_postgresql() {
  done_once postgresql-init && return 0
  rm -rf "$LAB/state/postgresql"
  mkdir -p "$LAB/state/postgresql"
  chown postgres:postgres "$LAB/state/postgresql"
  chmod 700 "$LAB/state/postgresql"
  as_postgres "$PG_BIN/initdb" -D "$LAB/state/postgresql" -U postgres -E UTF8 --locale=C.UTF-8 \
    --auth-local=peer --auth-host=scram-sha-256 >"$LAB/log/postgresql-init.log" 2>&1 ||
    die "initdb failed, see $LAB/log/postgresql-init.log"
  mark_done postgresql-init
}

# Role `sovstack` and one state database per sovereignty domain.
create_state_dbs() {
  local pw db
  pw="$(pg_password)"
  pg_sql -v pw="$pw" <<'SQL' || die "could not create the sovstack role"
SELECT 'CREATE ROLE sovstack LOGIN' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sovstack') \gexec
ALTER ROLE sovstack WITH LOGIN PASSWORD :'pw';
SQL
  for db in sovstack_state_sovereign sovstack_state_vendor; do
    pg_sql <<SQL || die "could not create database $db"
SELECT 'CREATE DATABASE $db OWNER sovstack' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = '$db') \gexec
SQL
  done
}

# ---------------------------------------------------------------- schema migrations
# Each runs once; they run in parallel (two cores: ~40% faster than one after another).
db_sync_keystone() {
  local c=(--config-file "$LAB/etc/keystone/keystone.conf")
  keystone-manage "${c[@]}" db_sync &&
    keystone-manage "${c[@]}" fernet_setup --keystone-user root --keystone-group root &&
    keystone-manage "${c[@]}" credential_setup --keystone-user root --keystone-group root &&
    keystone-manage "${c[@]}" bootstrap --bootstrap-password "$(secret admin)" \
      --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
      --bootstrap-region-id "${REGIONS[0]}" \
      --bootstrap-admin-url "http://$LAB_HOST:$KEYSTONE_PORT/v3" \
      --bootstrap-internal-url "http://$LAB_HOST:$KEYSTONE_PORT/v3" \
      --bootstrap-public-url "http://$LAB_HOST:$KEYSTONE_PORT/v3"
}
db_sync_placement() { placement-manage --config-file "$LAB/etc/placement/placement.conf" db sync; }
db_sync_glance() { glance-manage --config-file "$LAB/etc/glance/glance-api.conf" db_sync; }
db_sync_neutron() {
  neutron-db-manage --config-file "$LAB/etc/neutron/neutron.conf" \
    --config-file "$LAB/etc/neutron/ml2_conf.ini" upgrade heads
}
db_sync_nova() {
  local c=(--config-file "$LAB/etc/nova/nova.conf")
  nova-manage "${c[@]}" api_db sync &&
    nova-manage "${c[@]}" cell_v2 map_cell0 &&
    { nova-manage "${c[@]}" cell_v2 list_cells | grep -q ' cell1 ' ||
      nova-manage "${c[@]}" cell_v2 create_cell --name cell1; } &&
    nova-manage "${c[@]}" db sync
}
db_sync_cinder() { cinder-manage --config-file "$LAB/etc/cinder/cinder.conf" db sync; }
db_sync_octavia() { octavia-db-manage --config-file "$LAB/etc/octavia/octavia.conf" upgrade head; }

sync_databases() {
  local svc pids=() names=() i rc=0
  for svc in keystone placement glance neutron nova cinder octavia; do
    done_once "db-$svc" && continue
    ("db_sync_$svc" >"$LAB/log/db-sync-$svc.log" 2>&1 && mark_done "db-$svc") &
    pids+=($!)
    names+=("$svc")
  done
  for i in "${!pids[@]}"; do
    if ! wait "${pids[$i]}"; then
      log "   schema migration of ${names[$i]} failed, see $LAB/log/db-sync-${names[$i]}.log"
      rc=1
    fi
  done
  ((rc == 0)) || die "database migrations failed"
  ((${#names[@]} == 0)) || log "   migrated: ${names[*]}"
}

# ---------------------------------------------------------------- Octavia CA, Swift rings
init_octavia_ca() {
  local d="$LAB/state/octavia"
  [[ -s "$d/ca.pem" && -s "$d/ca.key" ]] && return 0
  openssl req -x509 -newkey rsa:2048 -sha256 -days 3650 -subj "/CN=sovstack lab octavia CA" \
    -passout "pass:$(secret octavia-ca)" -keyout "$d/ca.key" -out "$d/ca.pem" >/dev/null 2>&1 ||
    die "could not make the octavia CA"
  chmod 600 "$d/ca.key"
}

init_swift_rings() {
  local d="$LAB/etc/swift" kind port
  for kind in account container object; do
    [[ -s "$d/$kind.ring.gz" ]] && continue
    case "$kind" in
      account) port=$SWIFT_ACCOUNT_PORT ;;
      container) port=$SWIFT_CONTAINER_PORT ;;
      object) port=$SWIFT_OBJECT_PORT ;;
    esac
    rm -f "$d/$kind.builder"
    swift-ring-builder "$d/$kind.builder" create 8 1 1 >/dev/null &&
      swift-ring-builder "$d/$kind.builder" add --region 1 --zone 1 --ip "$LAB_HOST" \
        --port "$port" --device d1 --weight 100 >/dev/null
    # rebalance exits 1 for mere warnings (one device is "unbalanced" by definition)
    swift-ring-builder "$d/$kind.builder" rebalance >/dev/null || true
    [[ -s "$d/$kind.ring.gz" ]] || die "could not build the swift $kind ring"
  done
}

# ---------------------------------------------------------------- clouds.yaml and env files
write_clouds_yaml() {
  local f="$LAB/clouds.yaml"
  (umask 077 && cat >"$f.tmp" <<YAML
# Written by sovstack lab/up: credentials of the lab clouds. Never commit this file.
clouds:
  lab-sovereign:
    auth:
      auth_url: http://$LAB_HOST:$KEYSTONE_PORT/v3
      username: sovereign
      password: "$(secret user-sovereign)"
      project_name: sovereign
      user_domain_name: Default
      project_domain_name: Default
    region_name: ${REGIONS[0]}
    interface: public
    identity_api_version: 3
  lab-vendor:
    auth:
      auth_url: http://$LAB_HOST:$KEYSTONE_PORT/v3
      username: vendor
      password: "$(secret user-vendor)"
      project_name: vendor
      user_domain_name: Default
      project_domain_name: Default
    region_name: ${REGIONS[1]}
    interface: public
    identity_api_version: 3
  lab-admin:
    auth:
      auth_url: http://$LAB_HOST:$KEYSTONE_PORT/v3
      username: admin
      password: "$(secret admin)"
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: ${REGIONS[0]}
    interface: public
    identity_api_version: 3
YAML
  ) && mv "$f.tmp" "$f"
}

# $LAB/env/<cloud>.sh: source it before a deploy to that cloud.
write_env_files() {
  local cloud db
  for cloud in "${CLOUDS[@]}" lab-admin; do
    case "$cloud" in
      lab-vendor) db=sovstack_state_vendor ;;
      *) db=sovstack_state_sovereign ;;
    esac
    (umask 077 && cat >"$LAB/env/$cloud.sh.tmp" <<ENV
# Written by sovstack lab/up. Source before deploying to the lab cloud $cloud.
export SOVSTACK_LAB_DIR="$LAB"
export OS_CLOUD="$cloud"
export OS_CLIENT_CONFIG_FILE="$LAB/clouds.yaml"
# OpenTofu's pg state backend (lib/pq) reads these; the cloud profile's connStr has no password.
export PGUSER=sovstack
export PGPASSWORD="$(pg_password)"
export PGHOST=$LAB_HOST
export PGPORT=$PG_PORT
export PGDATABASE=$db
export PGSSLMODE=disable
ENV
    ) && mv "$LAB/env/$cloud.sh.tmp" "$LAB/env/$cloud.sh"
  done
}
