"""The HTTP API (FastAPI): ``service.api.main:create_app(settings)``."""
