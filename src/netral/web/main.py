"""The ASGI entry point for uvicorn: `netral.web.main:app`."""

from netral.web.app import create_app

app = create_app()
