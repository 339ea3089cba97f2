"""The staff JSON API, version 1: one NinjaAPI, bearer tokens, every operation under a declared access rule."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from api import access
from api.auth import TokenAuth
from api.body import QueryParser, document_unreadable_bodies, hoist_body_definitions
from api.routers import blocks as block_routes
from api.routers import catalogue as catalogue_routes
from api.routers import children, consents, disclosures, emergency, enrolments, family, named_persons, reports
from api.routers import evaluation as evaluation_routes
from api.routers import indicators as indicator_routes
from api.routers import meetings as meeting_routes
from api.routers import plans as plan_routes
from api.routers import programmes as programme_routes
from api.routers import referrals as referral_routes
from api.routers import wellbeing as wellbeing_routes
from core.access import public

NOT_FOUND = _("Hittades inte. Kontrollera id:t; finns barnet, be dess namngivna person om tillgång.")
UNAUTHORISED = _(
    "Ange en giltig API-nyckel i huvudet Authorization: Bearer <nyckel>. Skapa en ny under Konto → API-nycklar "
    "om din har gått ut eller återkallats."
)
INVALID = _("Begäran innehåller ogiltiga värden. Rätta fälten som anges i errors och försök igen.")


class SamplanAPI(NinjaAPI):
    """NinjaAPI whose document also describes the bodies read after the access check: their schemas and 400."""

    def get_openapi_schema(self, **kwargs) -> OpenAPISchema:
        return document_unreadable_bodies(hoist_body_definitions(super().get_openapi_schema(**kwargs)))


api = SamplanAPI(
    title="Samplan API",
    version="1",
    description="Personal-API för Samplan. Varje anrop prövas mot samma åtkomstregler som sidorna och loggas.",
    auth=TokenAuth(),
    parser=QueryParser(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    # Served from ninja's own static files (ninja is in INSTALLED_APPS): no CDN on closed municipal networks.
    docs_url="/docs",
    # The schema holds no personal data; declaring the rule lets the deny-by-default test see it.
    docs_decorator=public,
)
api.add_decorator(access.enforce, mode="view")


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Fixed text: never the exception's message, which could name what was looked for.
    return api.create_response(request, {"detail": str(NOT_FOUND)}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": str(UNAUTHORISED)}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="samplan"'
    return response


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Only where and what: submitted values (a personal number, say) are never sent back.
    errors = [{"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors]
    return api.create_response(request, {"detail": str(INVALID), "errors": errors}, status=422)


@api.exception_handler(Exception)
def crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Let Django's error handling answer (and roll the audit transaction back); ninja would send a traceback in DEBUG.
    raise exc


api.add_router("", children.router)
api.add_router("", enrolments.router)
api.add_router("", named_persons.router)
api.add_router("", emergency.router)
api.add_router("", reports.router)
api.add_router("", disclosures.router)
api.add_router("", block_routes.router)
api.add_router("", family.router)
api.add_router("", consents.router)
api.add_router("", wellbeing_routes.router)
api.add_router("", plan_routes.router)
api.add_router("", meeting_routes.router)
api.add_router("", programme_routes.router)
api.add_router("", catalogue_routes.router)
api.add_router("", referral_routes.router)
api.add_router("", indicator_routes.router)
api.add_router("", evaluation_routes.router)
