# shellcheck shell=bash
# Installs the lab's Debian packages (sourced by lab/up). Skips apt entirely when all are present.
#
# Only library and -common packages: the service packages (nova-api, nova-compute, ...) would
# pull libvirt, iptables rules or init scripts we do not want. Daemons run from the Python
# packages' own entry points, started by lab/up.

LAB_PACKAGES=(
  mariadb-server rabbitmq-server postgresql-15 postgresql-client-15 gettext-base curl openssl
  uwsgi-core uwsgi-plugin-python3
  python3-pymysql python3-openstacksdk
  python3-openstackclient python3-octaviaclient python3-designateclient
  python3-keystone
  nova-common placement-common neutron-common glance-common cinder-common octavia-common
  swift swift-proxy swift-account swift-container swift-object
)

missing_packages() {
  local p status
  for p in "${LAB_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)"
    [[ "$status" == installed ]] || echo "$p"
  done
}

install_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    log "   all ${#LAB_PACKAGES[@]} packages present: apt skipped"
    return 0
  fi
  log "   installing ${#missing[@]} missing packages: ${missing[*]}"

  # Package scripts must not start services: policy-rc.d answering 101 ("action forbidden")
  # makes invoke-rc.d a no-op. Ours is removed afterwards; an existing one is left alone.
  local own_policy=""
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\n# written by sovstack lab/up during apt-get install\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    own_policy=1
  fi

  # Never let dbconfig-common or the openstack-pkg-tools questions configure anything.
  local src q
  for src in nova neutron placement glance cinder octavia designate; do
    for q in configure_db configure_rabbit configure_ksat configure_neutron configure_placement configure_nova; do
      echo "$src $src/$q boolean false"
    done
  done | debconf-set-selections
  for src in nova-common neutron-common placement-common glance-common cinder-common octavia-common designate-common; do
    echo "$src $src/dbconfig-install boolean false"
  done | debconf-set-selections

  local rc=0
  if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 -print -quit 2>/dev/null)" ]]; then
    apt-get update -qq || rc=$?
  fi
  if ((rc == 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
      -o Dpkg::Options::=--force-unsafe-io \
      "${missing[@]}" >"$LAB/log/apt.log" 2>&1 || rc=$?
  fi
  [[ -n "$own_policy" ]] && rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || die "apt-get failed (rc=$rc), see $LAB/log/apt.log"
}
