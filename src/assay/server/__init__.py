"""The assay HTTP server: native and OTLP ingest, the query API, one error shape."""

from assay.server.app import create_app

__all__ = ["create_app"]
