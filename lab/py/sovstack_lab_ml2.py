"""ML2 mechanism driver for the sovstack lab, where no L2 agent runs.

Real mechanism drivers (openvswitch, linuxbridge, ovn) bind a port only on a host whose agent
reports in. The lab has fake hypervisors and no agents, so this driver binds every port on
every host, as an OVS port that is up at once: nova then boots servers, attaches interfaces
and octavia plugs VIPs as on a real cloud. Nothing is plumbed: no packet ever moves.

Registered as `sovstack_lab` in the `neutron.ml2.mechanism_drivers` entry-point group by
sovstack_lab_ml2-1.0.dist-info beside this file (lab/up puts lab/py on neutron's PYTHONPATH).
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class LabMechanismDriver(api.MechanismDriver):
    """Binds any port on any host: VIF type OVS, port status ACTIVE."""

    def initialize(self):
        pass

    @property
    def connectivity(self):
        # L2: may also bind ports that have no IP address (e.g. on subnet-less networks)
        return portbindings.CONNECTIVITY_L2

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(
                segment[api.ID],
                portbindings.VIF_TYPE_OVS,
                {portbindings.CAP_PORT_FILTER: True, portbindings.OVS_HYBRID_PLUG: False},
                status=constants.PORT_STATUS_ACTIVE,
            )
            return
