"""The Jupyter server of the project's environment sends each kernel
message at once.

A widget's answer is a small message on the kernel's websocket, and a click
in the explorer gets several in a row (busy, the answer, idle). With Nagle's
algorithm on (Tornado's default), the server holds a small message back
until the browser acknowledges the one before, which Linux delays by up to
40 ms: a Step in the explorer showed its pixels after 53 to 62 ms, most of
it this wait. With TCP_NODELAY on the kernel's websocket the message goes
at once.

The Makefile links this file into the environment's ``etc/jupyter/`` (under
``sys.prefix``), so ``.venv/bin/jupyter lab`` reads it.
"""

from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)


class NoDelayConnection(ZMQChannelsWebsocketConnection):
    """The kernel's websocket, with TCP_NODELAY."""

    def connect(self):
        self.websocket_handler.set_nodelay(True)
        return super().connect()


c = get_config()  # noqa: F821 (Jupyter defines it when it loads this file)
c.ServerApp.kernel_websocket_connection_class = NoDelayConnection
