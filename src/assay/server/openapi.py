"""Print the server's OpenAPI schema: ``python -m assay.server.openapi > schemas/openapi.json``."""

from __future__ import annotations

import json
import sys

from assay.server.app import create_app


def render() -> str:
    """The OpenAPI schema as stable, indented JSON text (with a final newline)."""
    schema = create_app().openapi()
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    """Write the schema to standard output."""
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
