"""The gunicorn worker class (see gunicorn.conf.py): uvicorn, tuned for this service.

- Proxy headers are handled by the application, from TRUSTED_PROXIES (main.py); uvicorn's
  own handling would trust 127.0.0.1 whatever the setting says.
- The 400 that uvicorn writes itself for a request it cannot parse carries the same
  security headers as every answer of the application.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker as BaseUvicornWorker

from .middleware import SECURITY_HEADERS
from .settings import load_settings

_SECURITY_HEADER_LINES = b"".join(
    name + b": " + value + b"\r\n" for name, value in SECURITY_HEADERS
)


class HttpToolsProtocolWithHeaders(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body = msg.encode("ascii")
        self.transport.write(
            b"HTTP/1.1 400 Bad Request\r\n"
            + _SECURITY_HEADER_LINES
            + b"content-type: text/plain; charset=utf-8\r\n"
            + b"content-length: "
            + str(len(body)).encode("ascii")
            + b"\r\nconnection: close\r\n\r\n"
            + body
        )
        self.transport.close()


class UvicornWorker(BaseUvicornWorker):  # type: ignore[misc]
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "auto",
        "http": HttpToolsProtocolWithHeaders,
        "proxy_headers": False,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _configure_optional_features(self.config)


def _configure_optional_features(config: Any) -> None:
    """Optional features that tune uvicorn itself (say, limits of WebSocket messages)."""
    name = f"{__package__}.live"
    if importlib.util.find_spec(name) is not None:
        importlib.import_module(name).configure_server(config, load_settings())
