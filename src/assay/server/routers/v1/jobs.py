"""``/api/v1/projects/{project}/jobs`` (issue 9)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["jobs"])
