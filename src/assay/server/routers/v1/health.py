"""``GET /api/v1/health``: is the server up."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["meta"])


class Health(BaseModel):
    """The server is up and answering."""

    status: str = "ok"


@router.get("/api/v1/health", operation_id="getHealth", response_model=Health)
def health() -> Health:
    """Answer 200 while the server is running."""
    return Health()
