"""``/api/v1/projects/{project}/rules`` (issue 9)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["rules"])
