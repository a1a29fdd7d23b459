"""The route × role matrix: every operation of the OpenAPI schema, called by every kind of caller.

The expectation is derived here from each route's method and path, on its own, so a wrong entry
in ``assay.server.permissions`` fails this test. An answer of 401 or 403 means "forbidden";
anything else (200, 201, 204, and 404/422 for ids and bodies the test does not bother to make
valid) means the caller got past authorisation.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx
import pytest

from assay.schema.auth import ROLES
from assay.server import create_app
from assay.server.permissions import PERMISSIONS
from assay.store import Store
from tests.support.auth_setup import Caller, key_caller, user_caller
from tests.unit.server.helpers import json_request, json_span, native_span

PROJECT = "proj"
_REVIEW_TAILS = (
    r"/scores",
    r"/queues/\{[^}]+\}/next",
    r"/queues/\{[^}]+\}/items/\{[^}]+\}/(reviews|skip)",
    r"/datasets/\{[^}]+\}/records(/from-traces)?",
    r"/prompts/\{[^}]+\}(/versions)?",  # save a version (POST), describe a prompt (PATCH)
    r"/playground/(runs|experiments)(/\{[^}]+\}/cancel)?",
)
_ADMIN_PARTS = ("/members", "/api-keys", "/settings", "/audit")


def needed(method: str, path: str) -> str:
    """What a route should need, from its method and path alone."""
    if path in ("/api/v1/health", "/api/v1/auth/login", "/api/v1/auth/me"):
        return "public"
    if path.startswith("/api/v1/auth/oidc/"):
        return "public"
    if path in ("/api/v1/auth/logout", "/api/v1/auth/password"):
        return "self"
    if path.startswith(("/api/v1/users", "/api/v1/audit")):
        return "instance_admin"
    if path == "/api/v1/projects" and method == "POST":
        return "instance_admin"
    tail = path.removeprefix("/api/v1/projects/{project}")
    if any(part in tail for part in _ADMIN_PARTS):
        return "admin"
    if tail.startswith("/providers") and method != "GET":  # provider keys: admins only
        return "admin"
    if method == "GET":
        return "viewer"
    if method in ("POST", "PATCH") and any(re.fullmatch(p, tail) for p in _REVIEW_TAILS):
        return "annotator"
    return "engineer"


def allowed(caller: Caller, need: str) -> bool:
    if need == "public" or caller.kind == "admin":
        return True
    if caller.kind == "none" or need == "instance_admin":
        return False
    if need == "self":
        return caller.kind == "user"
    return caller.role is not None and ROLES.index(caller.role) >= ROLES.index(need)  # type: ignore[arg-type]


def operations(app: Any) -> list[tuple[str, str, str]]:
    """(method, path, operation_id) of every operation, sign-out last (it ends the session)."""
    schema = app.openapi()
    found = [
        (method.upper(), path, op["operationId"])
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]
    return sorted(found, key=lambda o: o[2] == "logoutUser")


def fill(path: str) -> str:
    values = {"project": PROJECT, "trace_id": "ab" * 16, "span_id": "cd" * 8}
    return re.sub(r"\{([^}]+)\}", lambda m: values.get(m.group(1), "nope"), path)


def request_of(method: str, path: str, operation: str) -> dict[str, Any]:
    """Keyword arguments of an httpx request for the operation: a valid enough body."""
    if operation == "ingestSpans":
        return {"json": {"project": PROJECT, "spans": [native_span()]}}
    if operation == "exportTraces":
        body = json_request([json_span()])
        return {"json": body, "headers": {"X-Assay-Project": PROJECT}}
    return {"json": {}} if method in ("POST", "PATCH", "PUT") else {}


def callers(store: Store) -> list[Caller]:
    pid = store.ensure_project(PROJECT)
    store.ensure_project("elsewhere")
    found = [Caller("no-credential")]
    for role in ROLES:
        found.append(user_caller(store, f"{role}@example.com", project_id=pid, role=role))
        found.append(key_caller(store, pid, role)[0])
    found.append(user_caller(store, "root@example.com", project_id=None, role=None, admin=True))
    return found


async def _matrix(app: Any, store: Store) -> tuple[int, list[str]]:
    transport = httpx.ASGITransport(app=app)
    wrong: list[str] = []
    count = 0
    for caller in callers(store):
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", cookies=caller.cookies
        ) as client:
            for method, path, operation in operations(app):
                kwargs = request_of(method, path, operation)
                headers = {**caller.headers, **kwargs.pop("headers", {})}
                response = await client.request(method, fill(path), headers=headers, **kwargs)
                count += 1
                got = response.status_code not in (401, 403)
                want = allowed(caller, needed(method, path))
                if got != want or response.status_code >= 500:
                    wrong.append(
                        f"{caller.label} {method} {path} ({operation}): {response.status_code} "
                        f"but expected {'allowed' if want else 'forbidden'}: {response.text[:160]}"
                    )
    return count, wrong


def test_every_route_has_a_permission_and_no_entry_is_stale() -> None:
    app = create_app(auth=True)
    ids = {op for _, _, op in operations(app)}
    assert sorted(ids - set(PERMISSIONS)) == [], "add these operations to permissions.py"
    assert sorted(set(PERMISSIONS) - ids - {"page"}) == [], "permissions.py names unknown routes"


def test_route_role_matrix(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    app = create_app(store, auth=True, rate_limit=0)
    count, wrong = asyncio.run(_matrix(app, store))
    assert wrong == [], "\n".join(wrong)
    operations_count = len(operations(app))
    assert count == operations_count * 10
    with capsys.disabled():
        print(f"\nroute × role matrix: {operations_count} operations × 10 callers = {count}")


def test_with_authentication_off_everything_is_the_local_user(store: Store) -> None:
    async def run() -> list[int]:
        app = create_app(store, auth=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            ingest = {"project": PROJECT, "spans": [native_span()]}
            first = await client.post("/api/v1/spans", json=ingest)
            listed = await client.get("/api/v1/projects")
            key = await client.post(f"/api/v1/projects/{PROJECT}/api-keys", json={"name": "ci"})
            return [first.status_code, listed.status_code, key.status_code]

    assert asyncio.run(run()) == [200, 200, 201]
