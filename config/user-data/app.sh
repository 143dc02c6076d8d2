#!/bin/sh
# Application tier: the first boot installs the runtime and records where the server runs.
# Secrets (database password, API tokens) are fetched at run time from the key manager, never written here.
set -eu
hostnamectl set-hostname '{{ sovstack.server }}'
mkdir -p /etc/sovstack
cat > /etc/sovstack/server.env <<ENV
SOVSTACK_CLIENT={{ sovstack.client }}
SOVSTACK_GROUP={{ sovstack.group }}
SOVSTACK_INDEX={{ sovstack.index }}
SOVSTACK_ZONE={{ sovstack.zone }}
ENV
apt-get update
apt-get install -y --no-install-recommends openjdk-17-jre-headless
