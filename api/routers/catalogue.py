"""The intervention catalogue: its public part (no sign-in, rate-limited) and the whole catalogue for staff.

The catalogue holds no child data. The public operation reads only public entries and is throttled
per client address; the staff operation needs a token and shows the user's municipalities' entries.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.throttling import AnonRateThrottle

from api.access import rule
from api.schemas import Error, Invalid, page_limit, page_offset
from catalogue import present, selectors
from catalogue.guide import WORRY_BY_CODE
from catalogue.models import OLDEST, PREGNANCY, Intervention, Level
from core.access import AUTHENTICATED, PUBLIC
from wellbeing.indicators import Indicator

PUBLIC_NAME = "catalogue_public"
STAFF_NAME = "catalogue_interventions"
PUBLIC_RATE = "60/m"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200

LEVEL_PATTERN = f"^({'|'.join(Level.values)})?$"
NEED_PATTERN = f"^({'|'.join(Indicator.values)})?$"

router = Router(tags=["Insatskatalog"])


class PublicIntervention(Schema):
    name: str = Field(description="Insatsens namn.")
    provider: str = Field(description="Vem som erbjuder insatsen.")
    description: str = Field(description="Vad insatsen är, på enkel svenska.")
    target_group: str = Field(description="För vem.")
    ages: str = Field(description="Åldrar i ord, till exempel ”6–18 år”.")
    min_age: int = Field(description="Yngsta ålder i år; -1 betyder under graviditeten.")
    max_age: int = Field(description="Äldsta ålder i år.")
    how: str = Field(description="Hur man får kontakt.")
    waiting: str = Field(description="Väntetid i ord.")
    phone: str = Field(description="Telefon.")
    opening_hours: str = Field(description="Öppettider.")


class StaffIntervention(PublicIntervention):
    id: int = Field(description="Insatsens id i katalogen.")
    level: str = Field(description="Nivå: universal, selective eller indicated.")
    colour: str = Field(description="Mottagningens färgnivå: blue, green, orange, red eller tom.")
    route: str = Field(description="Hur man får insatsen: self, referral eller decision.")
    needs: list[str] = Field(description="Välbefinnandeområden som insatsen möter (koder).")
    waiting_weeks: int | None = Field(description="Väntetid i veckor; tom om okänd.")
    waiting_confirmed_on: str | None = Field(description="Dag då väntetiden senast bekräftades (ÅÅÅÅ-MM-DD).")
    public: bool = Field(description="Om insatsen visas i den öppna guiden.")


def _public(item: Intervention) -> dict:
    entry = present.public_entry(item, language="sv")
    return {
        "name": entry.name,
        "provider": entry.provider,
        "description": entry.description,
        "target_group": entry.target_group,
        "ages": entry.ages,
        "min_age": item.min_age,
        "max_age": item.max_age,
        "how": entry.how,
        "waiting": entry.waiting,
        "phone": entry.phone,
        "opening_hours": entry.opening_hours,
    }


@router.get(
    "/catalogue/public",
    auth=None,
    throttle=AnonRateThrottle(PUBLIC_RATE),
    response={200: list[PublicIntervention], 422: Invalid, 429: Error},
    url_name=PUBLIC_NAME,
    summary="Öppna insatser (utan inloggning)",
    description="Det som guiden ”Var vänder jag mig?” visar: kommunens öppna insatser för en ålder och en sorts "
    f"oro. Högst {PUBLIC_RATE.replace('/m', '')} anrop i minuten per adress.",
)
@rule(PUBLIC)
def catalogue_public(
    request: HttpRequest,
    municipality: str = Query("", max_length=4, description="Kommunkod; utan den den första kommunen i guiden."),
    age: int | None = Query(None, ge=PREGNANCY, le=OLDEST, description="Barnets ålder i år; -1 under graviditeten."),
    worry: str = Query("", max_length=20, description="Sorts oro: " + ", ".join(WORRY_BY_CODE) + "."),
):
    found = selectors.guide_municipalities()
    chosen = found.filter(code=municipality).first() if municipality else found.first()
    if chosen is None:
        return []
    items = selectors.public_interventions(chosen, age=age, worry=WORRY_BY_CODE.get(worry))
    return [_public(item) for item in items]


@router.get(
    "/catalogue/interventions",
    response={200: list[StaffIntervention], 401: Error, 422: Invalid},
    url_name=STAFF_NAME,
    summary="Hela insatskatalogen",
    description="Alla insatser, öppna och interna, i kommunerna där du arbetar. Filtrera på text, nivå, ålder och "
    "behov.",
)
@rule(AUTHENTICATED)
def catalogue_interventions(
    request: HttpRequest,
    q: str = Query("", max_length=100, description="Fritext i namn, beskrivning, målgrupp, nyckelord och utförare."),
    level: str = Query("", pattern=LEVEL_PATTERN, description="Nivå: " + ", ".join(Level.values) + "."),
    age: int | None = Query(None, ge=PREGNANCY, le=OLDEST, description="Ålder i år; -1 under graviditeten."),
    need: str = Query(
        "", pattern=NEED_PATTERN, description="Välbefinnandeområde: " + ", ".join(Indicator.values) + "."
    ),
    limit: int = page_limit(DEFAULT_LIMIT, MAX_LIMIT),
    offset: int = page_offset(),
):
    filters = selectors.Filters(text=q.strip(), level=level, age=age, need=need)
    items = selectors.filtered(selectors.interventions_for(request.auth), filters)[offset : offset + limit]
    return [
        _public(item)
        | {
            "id": item.pk,
            "level": item.level,
            "colour": item.colour,
            "route": item.route,
            "needs": [need.indicator for need in item.needs.all()],
            "waiting_weeks": item.waiting_weeks,
            "waiting_confirmed_on": item.waiting_confirmed_on.isoformat() if item.waiting_confirmed_on else None,
            "public": item.public,
        }
        for item in items
    ]
