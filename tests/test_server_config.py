"""The project's Jupyter server config: the kernel's websocket sends each
message at once (TCP_NODELAY), before the connection starts."""

from __future__ import annotations

from pathlib import Path

from jupyter_server.services.kernels.connection.channels import (
    ZMQChannelsWebsocketConnection,
)
from traitlets.config.loader import PyFileConfigLoader

CONFIG = Path(__file__).resolve().parents[1] / "scripts"


def test_the_kernels_websocket_sends_at_once(monkeypatch) -> None:
    config = PyFileConfigLoader("jupyter_server_config.py", str(CONFIG))
    connection = (
        config.load_config().ServerApp.kernel_websocket_connection_class
    )
    assert issubclass(connection, ZMQChannelsWebsocketConnection)
    calls = []

    class Handler:
        def set_nodelay(self, value: bool) -> None:
            calls.append(("nodelay", value))

    monkeypatch.setattr(
        ZMQChannelsWebsocketConnection,
        "connect",
        lambda self: calls.append(("connect",)),
    )
    # The handler the server gives a connection, without a server.
    monkeypatch.setattr(connection, "websocket_handler", Handler())
    connection.__new__(connection).connect()
    assert calls == [("nodelay", True), ("connect",)]
