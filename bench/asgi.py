"""The app as ``uvicorn --factory bench.asgi:app --workers N`` runs it: what ``server.main()`` does
(settings from the environment, JSON logs), in each worker process.

``server.main()`` hands uvicorn an app object, which cannot be given to several workers; uvicorn
needs an import string, and ``server:create_app`` as a factory skips ``configure_logging``.
"""

from __future__ import annotations

from starlette.applications import Starlette

from config import Settings
from server import configure_logging, create_app


def app() -> Starlette:
    settings = Settings.from_env()
    configure_logging(settings.debug, settings.log_sql)
    return create_app(settings)
