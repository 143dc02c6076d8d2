"""Runs a Swift server (proxy, account, container or object) for the sovstack lab.

Same as /usr/bin/swift-<kind>-server CONF, except for logging: Swift logs only to syslog,
through /dev/log or, when that socket is missing (no syslog daemon here), over UDP to
localhost:514 from a socket bound to every interface. The lab sends Swift's log records to
stderr instead, which lab/up writes to $LAB/log/swift-<kind>.log.

usage: /usr/bin/python3 lab/py/swift_server.py proxy|account|container|object CONF
"""
import logging
import sys

import swift.common.utils as swift_utils


class StderrHandler(logging.StreamHandler):
    """Takes the place of Swift's syslog handler; accepts (and ignores) its arguments."""

    def __init__(self, address=None, facility=None, socktype=None):
        super().__init__(sys.__stderr__)


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("proxy", "account", "container", "object"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, conf = sys.argv[1], sys.argv[2]
    swift_utils.ThreadSafeSysLogHandler = StderrHandler
    from swift.common.wsgi import run_wsgi

    kwargs = {}
    if kind == "object":
        from swift.obj import server

        kwargs["global_conf_callback"] = server.global_conf_callback
    return run_wsgi(conf, f"{kind}-server", **kwargs)


if __name__ == "__main__":
    sys.exit(main())
