"""End-to-end check of the lab clouds, as their tenants (not admin), through the public APIs.

In each cloud: network + subnet + router on the external network, security group, a server
reaching ACTIVE, a volume of a type attached then detached, a floating IP on the server, a
load balancer + listener + pool + member + health monitor reaching provisioning ACTIVE, a
floating IP on the VIP, a bootable volume from an image and a server booted from it, an
object-storage container with versioning and an object, a DNS zone with an A recordset ACTIVE
(where the profile offers DNS); then everything is deleted.

usage: /usr/bin/python3 lab/py/smoke.py [CLOUD...]     (default: lab-sovereign lab-vendor)
Reads OS_CLIENT_CONFIG_FILE (the lab's clouds.yaml). Exit 0 only if every check passed.
"""
import concurrent.futures
import logging
import secrets
import sys
import threading
import time
import traceback

import openstack

# cloud -> what its profile (config/lab/clouds/<cloud>.yaml) maps the abstract names to
PROFILES = {
    "lab-sovereign": {"external": "public", "flavor": "s1.cw.small-1",
                      "image": "Debian 12 Bookworm", "volume_type": "performant"},
    "lab-vendor": {"external": "admin_external_net", "flavor": "s3.medium.2",
                   "image": "OBS Debian 12", "volume_type": "SSD"},
}
DNS_CLOUDS = {"lab-sovereign"}  # the profiles whose `services` list dns
TIMEOUT = 300
# keystoneauth tries version discovery on swift's AUTH_<project> URL, gets a 401 and falls
# back to the URL itself (as it should): keep that warning out of the report.
logging.getLogger("keystoneauth").setLevel(logging.ERROR)
_print_lock = threading.Lock()


class Smoke:
    def __init__(self, cloud: str):
        self.cloud = cloud
        self.p = PROFILES[cloud]
        self.conn = openstack.connect(cloud=cloud)
        self.prefix = f"lab-smoke-{secrets.token_hex(3)}"
        self.t0 = time.monotonic()
        self.cleanup: list[tuple[str, callable]] = []
        self.passed: list[str] = []
        self.failed: list[str] = []

    def say(self, msg: str) -> None:
        with _print_lock:
            print(f"[{self.cloud:<13} {time.monotonic() - self.t0:6.1f}s] {msg}", flush=True)

    def check(self, name: str, fn):
        """Runs one check; a failure is recorded and re-raised (later checks depend on it)."""
        t = time.monotonic()
        try:
            result = fn()
        except Exception as e:
            self.failed.append(name)
            self.say(f"FAIL {name}: {e}")
            e.smoke_recorded = True
            raise
        self.passed.append(name)
        self.say(f"ok   {name} ({time.monotonic() - t:.1f}s)")
        return result

    def on_cleanup(self, what: str, fn) -> None:
        self.cleanup.append((what, fn))

    # ------------------------------------------------------------------ helpers
    def wait(self, what: str, probe, timeout: float = TIMEOUT, interval: float = 1.0):
        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            time.sleep(interval)

    def wait_lb(self, lb_id: str) -> None:
        def probe():
            lb = self.conn.load_balancer.get_load_balancer(lb_id)
            if lb.provisioning_status == "ERROR":
                raise RuntimeError(f"load balancer {lb_id} went to ERROR")
            return lb.provisioning_status == "ACTIVE"
        self.wait(f"load balancer {lb_id} ACTIVE", probe)

    def wait_volume(self, vol_id: str, status: str) -> None:
        def probe():
            vol = self.conn.block_storage.get_volume(vol_id)
            if vol.status == "error":
                raise RuntimeError(f"volume {vol_id} went to error")
            return vol.status == status
        self.wait(f"volume {vol_id} {status}", probe)

    def wait_gone(self, what: str, getter) -> None:
        def probe():
            try:
                getter()
            except openstack.exceptions.ResourceNotFound:
                return True
            return False
        self.wait(f"{what} deleted", probe)

    # ------------------------------------------------------------------ checks
    def run(self) -> bool:
        try:
            self.network()
            self.server()
            self.volume()
            self.floating_ip()
            self.load_balancer()
            self.boot_from_volume()
            self.object_storage()
            if self.cloud in DNS_CLOUDS:
                self.dns()
        except Exception as e:  # the checks after a failed one depend on it: stop here
            if not getattr(e, "smoke_recorded", False):
                self.failed.append("unexpected error")
                self.say(f"FAIL unexpected error: {e!r}")
        finally:
            self.teardown()
        return not self.failed

    def network(self):
        c, n = self.conn, self.prefix
        self.ext = self.check("external network", lambda: c.network.find_network(
            self.p["external"], ignore_missing=False))

        def make():
            net = c.network.create_network(name=f"{n}-net")
            self.on_cleanup(f"network {net.id}", lambda: c.network.delete_network(net))
            subnet = c.network.create_subnet(network_id=net.id, name=f"{n}-subnet",
                                             ip_version=4, cidr="10.42.1.0/24")
            router = c.network.create_router(name=f"{n}-router",
                                             external_gateway_info={"network_id": self.ext.id})
            self.on_cleanup(f"router {router.id}", lambda: c.network.delete_router(router))
            c.network.add_interface_to_router(router, subnet_id=subnet.id)
            self.on_cleanup("router interface", lambda: c.network.remove_interface_from_router(
                router, subnet_id=subnet.id))
            return net, subnet, router
        self.net, self.subnet, self.router = self.check("network + subnet + router", make)

        def sg():
            group = c.network.create_security_group(name=f"{n}-web")
            self.on_cleanup(f"security group {group.id}",
                            lambda: c.network.delete_security_group(group))
            c.network.create_security_group_rule(
                security_group_id=group.id, direction="ingress", ethertype="IPv4",
                protocol="tcp", port_range_min=80, port_range_max=80,
                remote_ip_prefix="10.42.0.0/16")
            return group
        self.sg = self.check("security group + rule", sg)

    def _boot(self, name: str, **kwargs):
        c = self.conn
        flavor = c.compute.find_flavor(self.p["flavor"], ignore_missing=False)
        server = c.compute.create_server(name=name, flavor_id=flavor.id,
                                         networks=[{"uuid": self.net.id}],
                                         security_groups=[{"name": self.sg.name}], **kwargs)
        self.on_cleanup(f"server {server.id}", lambda: (
            c.compute.delete_server(server),
            self.wait_gone(f"server {server.id}", lambda: c.compute.get_server(server.id))))
        server = c.compute.wait_for_server(server, status="ACTIVE", failures=["ERROR"],
                                           interval=1, wait=TIMEOUT)
        return server

    def server(self):
        c = self.conn

        def boot():
            image = c.image.find_image(self.p["image"], ignore_missing=False)
            return self._boot(f"{self.prefix}-vm", image_id=image.id)
        self.vm = self.check(f"server ({self.p['flavor']}, {self.p['image']}) ACTIVE", boot)
        ports = list(c.network.ports(device_id=self.vm.id))
        self.vm_port = ports[0]
        self.vm_ip = ports[0].fixed_ips[0]["ip_address"]

    def volume(self):
        c = self.conn

        def make():
            vol = c.block_storage.create_volume(name=f"{self.prefix}-data", size=1,
                                                volume_type=self.p["volume_type"])
            self.on_cleanup(f"volume {vol.id}", lambda: (
                c.block_storage.delete_volume(vol),
                self.wait_gone(f"volume {vol.id}", lambda: c.block_storage.get_volume(vol.id))))
            self.wait_volume(vol.id, "available")
            return vol
        self.vol = self.check(f"volume ({self.p['volume_type']}) available", make)

        def attach():
            c.compute.create_volume_attachment(self.vm, volume_id=self.vol.id)
            self.wait_volume(self.vol.id, "in-use")
        self.check("volume attached (in-use)", attach)

        def detach():
            c.compute.delete_volume_attachment(self.vol.id, self.vm)
            self.wait_volume(self.vol.id, "available")
        self.check("volume detached (available)", detach)

    def floating_ip(self):
        c = self.conn

        def make():
            fip = c.network.create_ip(floating_network_id=self.ext.id)
            self.on_cleanup(f"floating ip {fip.floating_ip_address}",
                            lambda: c.network.delete_ip(fip))
            fip = c.network.update_ip(fip, port_id=self.vm_port.id)
            assert fip.port_id == self.vm_port.id, "floating IP not associated"
            return fip
        fip = self.check("floating IP associated to the server", make)
        self.say(f"     server {self.vm_ip} <- floating IP {fip.floating_ip_address}")

    def load_balancer(self):
        lbc = self.conn.load_balancer

        def make_lb():
            lb = lbc.create_load_balancer(name=f"{self.prefix}-lb", vip_subnet_id=self.subnet.id)
            self.on_cleanup(f"load balancer {lb.id}", lambda: (
                lbc.delete_load_balancer(lb, cascade=True),
                self.wait_gone(f"load balancer {lb.id}", lambda: lbc.get_load_balancer(lb.id))))
            self.wait_lb(lb.id)
            return lbc.get_load_balancer(lb.id)
        lb = self.check("load balancer ACTIVE", make_lb)

        def listener():
            li = lbc.create_listener(name=f"{self.prefix}-http", protocol="HTTP",
                                     protocol_port=80, load_balancer_id=lb.id)
            self.wait_lb(lb.id)
            return li
        li = self.check("listener ACTIVE", listener)

        def pool():
            po = lbc.create_pool(name=f"{self.prefix}-pool", protocol="HTTP",
                                 lb_algorithm="ROUND_ROBIN", listener_id=li.id)
            self.wait_lb(lb.id)
            return po
        po = self.check("pool ACTIVE", pool)

        def member():
            lbc.create_member(po, address=self.vm_ip, protocol_port=80,
                              subnet_id=self.subnet.id)
            self.wait_lb(lb.id)
        self.check("member ACTIVE", member)

        def monitor():
            lbc.create_health_monitor(pool_id=po.id, type="HTTP", delay=10, timeout=5,
                                      max_retries=3, url_path="/")
            self.wait_lb(lb.id)
        self.check("health monitor ACTIVE", monitor)

        def statuses():
            for res in [lbc.get_load_balancer(lb.id), lbc.get_listener(li.id),
                        lbc.get_pool(po.id)] + list(lbc.members(po)) + list(lbc.health_monitors(
                            pool_id=po.id)):
                assert res.provisioning_status == "ACTIVE", \
                    f"{res.resource_key} {res.id} is {res.provisioning_status}"
        self.check("all load-balancer objects provisioning ACTIVE", statuses)

        def vip_fip():
            c = self.conn
            fip = c.network.create_ip(floating_network_id=self.ext.id, port_id=lb.vip_port_id)
            self.on_cleanup(f"floating ip {fip.floating_ip_address}",
                            lambda: c.network.delete_ip(fip))
            assert fip.port_id == lb.vip_port_id
        self.check("floating IP on the load-balancer VIP", vip_fip)

    def boot_from_volume(self):
        c = self.conn

        def make():
            image = c.image.find_image(self.p["image"], ignore_missing=False)
            vol = c.block_storage.create_volume(name=f"{self.prefix}-boot", size=10,
                                                volume_type=self.p["volume_type"],
                                                image_id=image.id)
            self.on_cleanup(f"volume {vol.id}", lambda: (
                c.block_storage.delete_volume(vol),
                self.wait_gone(f"volume {vol.id}", lambda: c.block_storage.get_volume(vol.id))))
            self.wait_volume(vol.id, "available")
            return vol
        boot_vol = self.check("bootable volume from an image", make)

        def boot():
            return self._boot(f"{self.prefix}-bfv", block_device_mapping_v2=[{
                "boot_index": 0, "uuid": boot_vol.id, "source_type": "volume",
                "destination_type": "volume", "delete_on_termination": False}])
        self.check("server booted from the volume ACTIVE", boot)

    def object_storage(self):
        store = self.conn.object_store
        name = f"{self.prefix}-bucket"

        def make():
            # X-Versions-Enabled is what the terraform provider's `versioning = true` sets
            store.put(f"/{name}", headers={"X-Versions-Enabled": "true"}).raise_for_status()
            self.on_cleanup(f"container {name}", lambda: self._empty_and_delete(name))
            store.upload_object(container=name, name="hello.txt", data=b"hello v1")
            store.upload_object(container=name, name="hello.txt", data=b"hello v2")
            body = store.download_object("hello.txt", container=name)
            assert body == b"hello v2", body
            head = store.head(f"/{name}").headers
            assert head.get("X-Versions-Enabled", "").lower() == "true", dict(head)
            versions = store.get(f"/{name}?versions&format=json").json()
            assert len(versions) == 2, f"expected 2 versions, got {versions}"
        self.check("object storage: versioned container + object", make)

    def dns(self):
        c = self.conn.dns
        zone_name = f"{self.prefix}.lab.sovstack.test."

        def active(get):
            def probe():
                found = get()
                if found.status == "ERROR":
                    raise RuntimeError(f"{found.name} in ERROR")
                return found.status == "ACTIVE"
            return probe

        def make_zone():
            zone = c.create_zone(name=zone_name, email=f"hostmaster@{zone_name.rstrip('.')}")
            self.on_cleanup(f"zone {zone_name}", lambda: self._delete_zone(zone.id))
            self.wait(f"zone {zone_name} ACTIVE", active(lambda: c.get_zone(zone.id)))
            return zone
        zone = self.check("DNS zone ACTIVE", make_zone)

        def recordset():
            rs = c.create_recordset(zone, name=f"www.{zone_name}", type="A", records=["203.0.113.7"])
            self.wait("recordset ACTIVE", active(lambda: c.get_recordset(rs, zone)))
        self.check("DNS A recordset ACTIVE", recordset)

    def _delete_zone(self, zone_id: str) -> None:
        self.conn.dns.delete_zone(zone_id)
        self.wait_gone(f"zone {zone_id}", lambda: self.conn.dns.get_zone(zone_id))

    def _empty_and_delete(self, name: str) -> None:
        store = self.conn.object_store
        # every version is an object of its own: delete each, then the container
        for obj in store.get(f"/{name}?versions&format=json").json():
            vid = obj.get("version_id")
            query = f"?version-id={vid}" if vid and vid != "null" else ""
            store.delete(f"/{name}/{obj['name']}{query}")
        store.delete(f"/{name}").raise_for_status()

    def teardown(self) -> None:
        errors = 0
        for what, fn in reversed(self.cleanup):
            try:
                fn()
            except openstack.exceptions.ResourceNotFound:
                pass
            except Exception as e:
                errors += 1
                self.say(f"cleanup of {what} failed: {e}")
        if errors:
            self.failed.append("cleanup")
        else:
            self.say("cleanup: everything deleted")


def main() -> int:
    clouds = sys.argv[1:] or list(PROFILES)
    unknown = [c for c in clouds if c not in PROFILES]
    if unknown:
        print(f"unknown cloud(s) {unknown}; known: {list(PROFILES)}", file=sys.stderr)
        return 2
    runs = [Smoke(c) for c in clouds]
    with concurrent.futures.ThreadPoolExecutor(len(runs)) as pool:
        list(pool.map(lambda s: s.run(), runs))
    passed = sum(len(s.passed) for s in runs)
    failed = sum(len(s.failed) for s in runs)
    for s in runs:
        if s.failed:
            print(f"{s.cloud}: failed: {', '.join(s.failed)}")
    print(f"lab smoke: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception:
        traceback.print_exc()
        sys.exit(1)
