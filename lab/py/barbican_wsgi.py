"""WSGI entry of the lab's Barbican (key-manager) under uwsgi.

Debian's barbican-wsgi-api reads /etc/barbican only; this entry parses the lab's own
configuration ($BARBICAN_CONF) and loads the paste pipeline from $BARBICAN_PASTE, so nothing
outside $SOVSTACK_LAB_DIR is used.
"""
import os

from barbican.common import config

config.parse_args(config.CONF, default_config_files=[os.environ["BARBICAN_CONF"]])

from paste import deploy  # noqa: E402  (after the configuration is parsed)

application = deploy.loadapp("config:" + os.environ["BARBICAN_PASTE"])
