"""OpenID Connect sign-in: ``oidcLogin`` sends the browser to the provider, ``oidcCallback``
takes it back, checks the provider's answer and starts a session like a password sign-in.

Both routes are public (they are how one signs in), answer 404 while ``oidc_issuer`` is
empty, and 400 while authentication is off (everyone is then the local user). See
:mod:`assay.server.oidc` for the flow.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assay.server import oidc
from assay.server.deps import settings_of, store_of
from assay.server.errors import ApiError, ErrorResponse
from assay.server.sessions import client_address, is_https, start_session

router = APIRouter(tags=["auth"])

_COOKIE_PATH = "/api/v1/auth/oidc"
_ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorResponse, "description": "Authentication is off, or the sign-in failed."},
    404: {"model": ErrorResponse, "description": "OpenID Connect sign-in is not configured."},
    502: {"model": ErrorResponse, "description": "The provider could not be reached or used."},
}
_CALLBACK_ERRORS: dict[int | str, dict[str, object]] = {
    **_ERRORS,
    401: {"model": ErrorResponse, "description": "The provider's ID token was refused."},
    403: {"model": ErrorResponse, "description": "Unverified email, or a disabled account."},
    409: {"model": ErrorResponse, "description": "The email's account has another OIDC link."},
}
NextPath = Annotated[
    str | None,
    Query(
        alias="next",
        max_length=2000,
        description="Path on this server to return to once signed in (default /).",
    ),
]


def _settings(request: Request) -> oidc.OidcSettings:
    settings = oidc.required_settings()
    if not settings_of(request).auth:
        raise ApiError(
            400,
            "Authentication is off (ASSAY_AUTH is not true): everyone is the local user, so "
            "there is nothing to sign in to. Start the server with ASSAY_AUTH=true to use "
            "accounts.",
        )
    return settings


@router.get(
    oidc.LOGIN_PATH,
    operation_id="oidcLogin",
    status_code=302,
    response_class=RedirectResponse,
    responses={302: {"description": "To the provider's sign-in page."}, **_ERRORS},
)
async def oidc_login(request: Request, next_path: NextPath = None) -> Response:
    """Start signing in with the OpenID Connect provider (a browser navigation, not a fetch)."""
    settings = _settings(request)
    provider = await oidc.discover(settings)
    login = oidc.new_login(next_path)
    callback = oidc.redirect_uri(str(request.base_url))
    url = oidc.authorization_url(provider, settings, callback=callback, login=login)
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        oidc.STATE_COOKIE,
        login.encode(),
        max_age=oidc.STATE_SECONDS,
        path=_COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
    )
    return response


@router.get(
    oidc.CALLBACK_PATH,
    operation_id="oidcCallback",
    status_code=302,
    response_class=RedirectResponse,
    responses={302: {"description": "Signed in: to the page asked for."}, **_CALLBACK_ERRORS},
)
async def oidc_callback(
    request: Request,
    code: Annotated[str | None, Query(max_length=4096)] = None,
    state: Annotated[str | None, Query(max_length=512)] = None,
    error: Annotated[str | None, Query(max_length=200)] = None,
    error_description: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    """Finish signing in: check the answer, find or create the user, start a session."""
    settings = _settings(request)
    if error:
        said = f"{error}: {error_description}" if error_description else error
        raise ApiError(
            400,
            f"The OpenID Connect provider refused the sign-in ({said}). "
            f"Start again at {oidc.LOGIN_PATH}.",
            code="oidc_refused",
        )
    login = oidc.LoginState.decode(request.cookies.get(oidc.STATE_COOKIE))
    if login is None or not state or not hmac.compare_digest(state, login.state):
        raise ApiError(
            400,
            "This sign-in expired or was started in another browser (its state does not "
            f"match this browser's); start again at {oidc.LOGIN_PATH}.",
            code="oidc_state_mismatch",
        )
    if not code:
        raise ApiError(400, f"The provider sent no code; start again at {oidc.LOGIN_PATH}.")
    provider = await oidc.discover(settings)
    callback = oidc.redirect_uri(str(request.base_url))
    id_token = await oidc.exchange_code(
        provider, settings, code=code, callback=callback, verifier=login.verifier
    )
    identity = await oidc.verify_id_token(provider, settings, id_token, nonce=login.nonce)
    address = client_address(request)
    user = await run_in_threadpool(oidc.resolve_user, store_of(request), identity, address=address)
    response = RedirectResponse(login.next, status_code=302)
    response.delete_cookie(oidc.STATE_COOKIE, path=_COOKIE_PATH)
    await run_in_threadpool(start_session, request, response, user)
    return response
