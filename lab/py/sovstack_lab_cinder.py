"""Cinder volume driver for the sovstack lab: cinder's fake logging driver, able to extend a volume.

`cinder.tests.fake_driver.FakeLoggingVolumeDriver` stores nothing, but it inherits `extend_volume`
from the LVM driver, which calls its fake volume group's `extend_volume`, a method that fake
does not have: every extend, of an available or an attached volume, ends in `error_extending`
("'FakeBrickLVM' object has no attribute 'extend_volume'" in cinder-volume.log).

A real back end grows the logical volume (or LUN) and its export, then cinder's volume manager
records the new size, puts the volume back to `available` or `in-use` and, for an attached
volume, sends Nova the `volume-extended` event so the hypervisor sees the new size. Here there
is nothing to grow, so the driver only logs: the manager does the rest exactly as on a real cloud.

Used only by the lab (lab/templates/cinder.conf, `volume_driver = sovstack_lab_cinder.LabVolumeDriver`);
cinder-volume finds it because lab/py/run.py, which starts it, lives beside this file.
"""
from oslo_log import log as logging

from cinder.tests import fake_driver

LOG = logging.getLogger(__name__)


class LabVolumeDriver(fake_driver.FakeLoggingVolumeDriver):
    """FakeLoggingVolumeDriver whose extend succeeds (no data to move: the size is all there is)."""

    def extend_volume(self, volume, new_size):
        LOG.info("lab: extend volume %s from %s GiB to %s GiB", volume.id, volume.size, new_size)
