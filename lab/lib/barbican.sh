# shellcheck shell=bash disable=SC2034 # (variables are used by the scripts that source this file)
# Barbican (OpenStack key-manager) on the sovereign lab cloud: keeps the data keys that encrypt the
# sovereign stacks' OpenTofu state and plans (docs/state-encryption.md). Sourced by common.sh;
# lab/up calls barbican_preseed, barbican_configure, barbican_db and start_service barbican.
# simple_crypto plug-in (secrets encrypted in MariaDB with a KEK kept in $LAB/secrets), API under
# uwsgi like keystone, endpoints registered in keystone for region fr1 only (register.py).

BARBICAN_PORT=9311
BARBICAN_PACKAGES=(barbican-api barbican-common python3-barbican)
SERVICES+=(barbican)

# Keeps dbconfig-common and the openstack-pkg-tools questions from configuring anything.
barbican_preseed() {
  local q
  for q in configure_db configure_rabbit configure_ksat configure_endpoint; do
    echo "barbican barbican/$q boolean false"
  done | debconf-set-selections
  echo "barbican-common barbican-common/dbconfig-install boolean false" | debconf-set-selections
}

# The simple_crypto KEK: 32 random bytes, base64 (created once, mode 600).
barbican_kek() {
  local f="$LAB/secrets/barbican-kek"
  [[ -s "$f" ]] || (umask 077 && openssl rand -base64 32 | tr -d '\n' >"$f")
  cat "$f"
}

barbican_configure() {
  mkdir -p "$LAB/etc/barbican"
  export_template_vars
  export BARBICAN_PORT DB_BARBICAN PW_BARBICAN BARBICAN_KEK
  DB_BARBICAN="$(db_url barbican barbican)"
  PW_BARBICAN="$(secret ks-barbican)"
  BARBICAN_KEK="$(barbican_kek)"
  render barbican.conf "$LAB/etc/barbican/barbican.conf"
  cp /usr/share/barbican-common/barbican-api-paste.ini "$LAB/etc/barbican/barbican-api-paste.ini"
}

# Database, user and schema (the schema once: barbican-manage ignores --config-file for the URL).
barbican_db() {
  mysql_cmd -e "CREATE DATABASE IF NOT EXISTS barbican CHARACTER SET utf8mb4;
    CREATE USER IF NOT EXISTS 'barbican'@'localhost' IDENTIFIED BY '$(secret db-barbican)';
    ALTER USER 'barbican'@'localhost' IDENTIFIED BY '$(secret db-barbican)';
    GRANT ALL PRIVILEGES ON barbican.* TO 'barbican'@'localhost';" || die "could not create the barbican database"
  done_once db-barbican && return 0
  (cd "$LAB/state" && barbican-manage db upgrade --db-url "$(db_url barbican barbican)") >>"$LAB/log/barbican-db.log" 2>&1 ||
    die "barbican schema migration failed, see $LAB/log/barbican-db.log"
  mark_done db-barbican
}

start_barbican() {
  uwsgi_app barbican "$BARBICAN_PORT" "$LAB_SRC/py/barbican_wsgi.py" 2 \
    --env "BARBICAN_CONF=$LAB/etc/barbican/barbican.conf" \
    --env "BARBICAN_PASTE=$LAB/etc/barbican/barbican-api-paste.ini"
}
