"""Registers what the two lab clouds offer, from ONE Python process (each `openstack` CLI call
costs ~1.5 s of start-up). Idempotent: creates what is missing, fixes what differs.

usage: /usr/bin/python3 lab/py/register.py identity    # regions, projects, users, roles, catalog
       /usr/bin/python3 lab/py/register.py resources   # flavors, images, networks, volume types,
                                                        # amphora resources for octavia
Reads OS_CLIENT_CONFIG_FILE (the lab's clouds.yaml, entry `lab-admin`), SOVSTACK_LAB_DIR and
the ports exported by lab/lib/common.sh.
"""
import hashlib
import os
import sys
import time

import openstack

LAB = os.environ["SOVSTACK_LAB_DIR"]
HOST = os.environ.get("LAB_HOST", "127.0.0.1")
REGIONS = os.environ.get("LAB_REGIONS", "fr1 eu-west-0").split()


def port(name: str) -> str:
    return os.environ[name]


def secret(name: str) -> str:
    with open(os.path.join(LAB, "secrets", name), encoding="utf-8") as f:
        return f.read().strip()


def say(msg: str) -> None:
    print(f"  register: {msg}", flush=True)


# ------------------------------------------------------------------------------ identity

# (service name, service type, URL) registered in every region, for every interface.
def catalog() -> list[tuple[str, str, str]]:
    base = f"http://{HOST}"
    return [
        ("keystone", "identity", f"{base}:{port('KEYSTONE_PORT')}/v3"),
        ("nova", "compute", f"{base}:{port('NOVA_PORT')}/v2.1"),
        ("placement", "placement", f"{base}:{port('PLACEMENT_PORT')}"),
        ("neutron", "network", f"{base}:{port('NEUTRON_PORT')}"),
        ("glance", "image", f"{base}:{port('GLANCE_PORT')}"),
        ("cinder", "block-storage", f"{base}:{port('CINDER_PORT')}/v3/%(project_id)s"),
        ("cinderv3", "volumev3", f"{base}:{port('CINDER_PORT')}/v3/%(project_id)s"),
        ("octavia", "load-balancer", f"{base}:{port('OCTAVIA_PORT')}"),
        ("swift", "object-store", f"{base}:{port('SWIFT_PORT')}/v1/AUTH_%(project_id)s"),
        ("designate", "dns", f"{base}:{port('DESIGNATE_PORT')}"),
        ("barbican", "key-manager", f"{base}:{port('BARBICAN_PORT')}"),
    ]


# service type -> the only regions it is offered in (default: every region)
REGION_ONLY = {"key-manager": REGIONS[:1]}  # Barbican: the sovereign lab cloud (fr1) only


SERVICE_USERS = ["placement", "glance", "neutron", "nova", "cinder", "octavia", "swift", "designate", "barbican"]
ROLES = ["admin", "member", "reader", "service", "load-balancer_member", "ResellerAdmin"]
# project -> (description, user, roles)
TENANTS = {
    "sovereign": ("Lab cloud lab-sovereign (stands for a SecNumCloud-qualified French cloud)",
                  "sovereign", ["member", "load-balancer_member"]),
    "vendor": ("Lab cloud lab-vendor (stands for a non-sovereign vendor cloud)",
               "vendor", ["member", "load-balancer_member"]),
}


def ensure_project(idc, name: str, description: str, domain_id: str):
    project = idc.find_project(name, domain_id=domain_id)
    if project is None:
        project = idc.create_project(name=name, description=description, domain_id=domain_id)
        say(f"project {name} created")
    return project


def ensure_user(idc, name: str, password: str, project, domain_id: str):
    user = idc.find_user(name, domain_id=domain_id)
    if user is None:
        user = idc.create_user(name=name, password=password, domain_id=domain_id,
                               default_project_id=project.id)
        say(f"user {name} created")
    else:
        # secrets may have been regenerated: keep keystone in step (cheap, idempotent)
        idc.update_user(user, password=password)
    return user


def ensure_roles(idc, project, user, role_ids: dict, names: list[str]) -> None:
    have = {a.role["id"] for a in idc.role_assignments(user_id=user.id, scope_project_id=project.id)}
    for name in names:
        if role_ids[name] not in have:
            idc.assign_project_role_to_user(project, user, role_ids[name])


def register_identity(conn) -> None:
    idc = conn.identity
    domain = idc.get_domain("default")
    for region in REGIONS:
        if idc.find_region(region) is None:
            idc.create_region(id=region, description=f"sovstack lab region {region}")
            say(f"region {region} created")

    role_ids = {}
    for name in ROLES:
        role = idc.find_role(name) or idc.create_role(name=name)
        role_ids[name] = role.id

    service_project = ensure_project(idc, "service", "OpenStack service users", domain.id)
    for name in SERVICE_USERS:
        user = ensure_user(idc, name, secret(f"ks-{name}"), service_project, domain.id)
        ensure_roles(idc, service_project, user, role_ids, ["admin", "service"])

    for project_name, (description, user_name, roles) in TENANTS.items():
        project = ensure_project(idc, project_name, description, domain.id)
        user = ensure_user(idc, user_name, secret(f"user-{user_name}"), project, domain.id)
        ensure_roles(idc, project, user, role_ids, roles)

    services = {s.name: s for s in idc.services()}
    endpoints = list(idc.endpoints())
    created = 0
    for name, stype, url in catalog():
        service = services.get(name)
        if service is None:
            service = idc.create_service(name=name, type=stype, description=f"lab {stype}")
        for region in REGION_ONLY.get(stype, REGIONS):
            for interface in ("public", "internal", "admin"):
                match = [e for e in endpoints if e.service_id == service.id
                         and e.region_id == region and e.interface == interface]
                if not match:
                    idc.create_endpoint(service_id=service.id, interface=interface, url=url,
                                        region_id=region)
                    created += 1
                elif match[0].url != url:
                    idc.update_endpoint(match[0], url=url)
    if created:
        say(f"{created} endpoints created")
    say(f"identity ready: regions {', '.join(REGIONS)}; projects service, "
        f"{', '.join(TENANTS)}; {len(catalog())} services")


# ------------------------------------------------------------------------------ resources

# name -> (vCPUs, RAM MiB, root disk GiB). Both naming schemes: `*.cw.*` (lab-sovereign)
# and the `s3`/`m3` family (lab-vendor); all public, so each cloud could use either.
FLAVORS = {
    "s1.cw.small-1": (1, 2048, 20),
    "n2.cw.standard-2": (2, 8192, 40),
    "n2.cw.standard-4": (4, 16384, 40),
    "n2.cw.highmem-8": (8, 65536, 40),
    "s3.medium.2": (1, 2048, 40),
    "s3.large.2": (2, 4096, 40),
    "s3.xlarge.2": (4, 8192, 40),
    "m3.2xlarge.8": (8, 65536, 40),
}
AMPHORA_FLAVOR = ("lab-amphora", 1, 1024, 2)

# name -> (os_distro, os_version). With the fake hypervisor a few KB of bytes is an image.
IMAGES = {
    "Debian 12 Bookworm": ("debian", "12"),
    "Ubuntu 24.04 LTS": ("ubuntu", "24.04"),
    "Rocky Linux 9": ("rocky", "9"),
    "OBS Debian 12": ("debian", "12"),
    "OBS Ubuntu 24.04": ("ubuntu", "24.04"),
}
AMPHORA_IMAGE = "amphora-x64-haproxy"

# External networks: router:external and shared, each with a subnet for floating IPs.
# Documentation ranges (RFC 5737): nothing ever routes them, and no agent plumbs them anyway.
EXTERNAL_NETWORKS = {
    "public": ("physnet-public", "203.0.113.0/24", "203.0.113.1", "203.0.113.10", "203.0.113.250"),
    "admin_external_net": ("physnet-admin", "198.51.100.0/24", "198.51.100.1",
                           "198.51.100.10", "198.51.100.250"),
}
VOLUME_TYPES = ["standard", "performant", "SATA", "SAS", "SSD"]


def image_bytes(name: str) -> bytes:
    """4 KiB, deterministic per image, so each image has its own checksum."""
    seed = hashlib.sha256(name.encode()).digest()
    header = f"sovstack lab image: {name}\n".encode()
    return (header + seed * 128)[:4096]


def wait_for_compute(conn, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        up = [s for s in conn.compute.services(binary="nova-compute")
              if s.state == "up" and s.status == "enabled"]
        if up:
            return
        if time.monotonic() > deadline:
            raise SystemExit("register: nova-compute never reported up")
        time.sleep(1)


def ensure_flavor(conn, name, vcpus, ram, disk, public=True):
    flavor = conn.compute.find_flavor(name, ignore_missing=True)
    if flavor is None:
        flavor = conn.compute.create_flavor(id=name, name=name, vcpus=vcpus, ram=ram,
                                            disk=disk, is_public=public)
        say(f"flavor {name} created")
    return flavor


def ensure_image(conn, name, data, *, visibility="public", owner=None, tags=(), **props):
    found = [i for i in conn.image.images(name=name) if i.status == "active"]
    if found:
        return found[0]
    for stale in conn.image.images(name=name):  # an interrupted upload
        conn.image.delete_image(stale)
    meta = {"visibility": visibility}
    if owner:
        meta["owner"] = owner
    image = conn.image.create_image(name=name, data=data, disk_format="raw",
                                    container_format="bare", allow_duplicates=True,
                                    tags=list(tags), meta=meta, wait=True, timeout=120, **props)
    say(f"image {name} uploaded")
    return image


def ensure_external_network(conn, name, physnet, cidr, gateway, start, end):
    net = conn.network.find_network(name)
    if net is None:
        net = conn.network.create_network(
            name=name, is_router_external=True, is_shared=True,
            provider_network_type="flat", provider_physical_network=physnet)
        say(f"external network {name} created")
    if not list(conn.network.subnets(network_id=net.id)):
        conn.network.create_subnet(
            network_id=net.id, name=f"{name}-subnet", ip_version=4, cidr=cidr,
            gateway_ip=gateway, enable_dhcp=False,
            allocation_pools=[{"start": start, "end": end}])
    return net


def register_resources(conn) -> None:
    wait_for_compute(conn)
    service_project = conn.identity.find_project("service")

    for name, (vcpus, ram, disk) in FLAVORS.items():
        ensure_flavor(conn, name, vcpus, ram, disk)
    amp_name, amp_vcpus, amp_ram, amp_disk = AMPHORA_FLAVOR
    amp_flavor = ensure_flavor(conn, amp_name, amp_vcpus, amp_ram, amp_disk, public=False)
    try:
        access = {a["tenant_id"] for a in conn.compute.get_flavor_access(amp_flavor)}
    except openstack.exceptions.SDKException:
        access = set()
    if service_project.id not in access:
        conn.compute.flavor_add_tenant_access(amp_flavor, service_project.id)

    for name, (distro, version) in IMAGES.items():
        ensure_image(conn, name, image_bytes(name), os_distro=distro, os_version=version)
    ensure_image(conn, AMPHORA_IMAGE, image_bytes(AMPHORA_IMAGE), visibility="private",
                 owner=service_project.id, tags=["amphora"])

    for name, spec in EXTERNAL_NETWORKS.items():
        ensure_external_network(conn, name, *spec)

    existing_types = {t.name for t in conn.block_storage.types()}
    for name in VOLUME_TYPES:
        if name not in existing_types:
            conn.block_storage.create_type(name=name, description=f"lab volume type {name}",
                                           is_public=True)
            say(f"volume type {name} created")

    # Octavia's amphorae: a management network and security group in the service project.
    mgmt = conn.network.find_network("lb-mgmt-net", project_id=service_project.id)
    if mgmt is None:
        mgmt = conn.network.create_network(name="lb-mgmt-net", project_id=service_project.id)
    if not list(conn.network.subnets(network_id=mgmt.id)):
        conn.network.create_subnet(network_id=mgmt.id, name="lb-mgmt-subnet", ip_version=4,
                                   cidr="192.0.2.0/24", project_id=service_project.id)
    sg = conn.network.find_security_group("lb-mgmt-sec-grp", project_id=service_project.id)
    if sg is None:
        sg = conn.network.create_security_group(name="lb-mgmt-sec-grp",
                                                project_id=service_project.id)
    amp_conf = (
        "# Written by lab/py/register.py: ids of the amphora resources in the service project.\n"
        "[controller_worker]\n"
        f"amp_boot_network_list = {mgmt.id}\n"
        f"amp_secgroup_list = {sg.id}\n"
        f"amp_image_owner_id = {service_project.id}\n"
    )
    path = os.path.join(LAB, "etc", "octavia", "octavia-amp.conf")
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else ""
    if old != amp_conf:
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            f.write(amp_conf)
        os.replace(path + ".tmp", path)
        say("octavia amphora settings written")
    say(f"resources ready: {len(FLAVORS)} flavors, {len(IMAGES)} images, "
        f"external networks {', '.join(EXTERNAL_NETWORKS)}, volume types {', '.join(VOLUME_TYPES)}")


def main() -> int:
    if len(sys.argv) != 2 or sys.argv[1] not in ("identity", "resources"):
        print(__doc__, file=sys.stderr)
        return 2
    conn = openstack.connect(cloud="lab-admin")
    if sys.argv[1] == "identity":
        register_identity(conn)
    else:
        register_resources(conn)
    return 0


if __name__ == "__main__":
    sys.exit(main())
