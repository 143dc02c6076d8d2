"""Runs an OpenStack console entry point whose /usr/bin script belongs to a service package
the lab does not install (those pull init scripts, libvirt, ...): the Python package has it.

usage: /usr/bin/python3 lab/py/run.py NAME MODULE:FUNCTION [ARGS...]
e.g.   /usr/bin/python3 lab/py/run.py nova-conductor nova.cmd.conductor:main --config-file nova.conf
"""
import importlib
import sys


def main() -> int:
    if len(sys.argv) < 3 or ":" not in sys.argv[2]:
        print(__doc__, file=sys.stderr)
        return 2
    name, target = sys.argv[1], sys.argv[2]
    module_name, func_name = target.split(":", 1)
    # oslo.config and the services read sys.argv: make it look like the real script's.
    sys.argv = [name] + sys.argv[3:]
    func = getattr(importlib.import_module(module_name), func_name)
    result = func()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
