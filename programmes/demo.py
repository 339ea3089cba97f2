"""Demo programmes from the Nacka follow-up (seeds 000 and 001) and the Hässelby-Vällingby plan (seed 004).

The Nacka rounds of stimulus grants (calls closing 15 September 2013 and 31 January 2014, the five
selection criteria, the awards of 50 000, 25 000 and 40 000 kr with their motivations, the follow-up
table of appendix 7.3), its lecture series of 2013 and 2014 (half days run morning and afternoon, 125-150
participants a day, about 80 % preschool staff and only a few from social services), and its budget
(558 000 of 3 000 000 kr used) are rebuilt in the demo municipality, as is the Hässelby-Vällingby
pilot's budget by year (9 577 + 9 811 + 3 152 = 22 540 tkr). One current programme has an open call
and coming lectures to try the pages with. Attendance by profession is invented around the reported
figures; registrations from 2013-2014 name no staff user.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from demo.world import MUNICIPALITY_CODE
from organisations.models import Municipality
from programmes.models import (
    Application,
    BudgetEntry,
    BudgetLine,
    Criterion,
    Decision,
    Evaluation,
    Event,
    EventSession,
    FollowUp,
    GrantCall,
    Programme,
    Registration,
    Score,
    SubProject,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CRITERIA = (
    "Inspirerande och stimulerande",
    "Tydlig målgrupp och målbild",
    "Tydligt barn- och familjefokus",
    "Samverkan både internt och externt",
    "Vilket resultat har det",
)
TARGET = "Verksamheter som arbetar med barn och familjer; insatser som riktar sig till barn 0–9 år"
WHO = (
    "Förskolor och skolor upp till årskurs 3, kommunala och fristående, öppna förskolor, familjecentraler, "
    "BVC, barnmorskemottagningar, socialtjänsten, bibliotek, föreningar och andra aktörer."
)
PURPOSE = (
    "Premiera och stödja goda exempel, och stödja verksamheter med en god idé de vill förverkliga. Bidraget är "
    "en stimulans, inte en finansiering. De goda exemplen ska beskrivas och presenteras så att andra "
    "verksamheter inspireras."
)
Y, P, N = FollowUp.Answer.YES, FollowUp.Answer.PARTLY, ""
# (organisation, idea, amount, motivation, follow-up answers or None when no answer came)
ROUND_1 = [
    (
        "Boo folkets hus",
        "Fritidsverksamhet för barn 7–9 år på helger",
        50000,
        "Boo folkets hus belönas för arbetet med att erbjuda en meningsfull fritid på helgerna för en grupp barn "
        "utanför verksamhetens egentliga fokus, fritidsverksamhet för barn 7–9 år på helger. Arbetet minskar "
        "riskerna för utanförskap.",
        None,
    ),
    (
        "Barn- och elevhälsan",
        "Identitet, kommunikation och rörelse för barn med hörselnedsättning",
        50000,
        "Barn- och elevhälsan belönas för att man tydligt visat på utsattheten hos barn med hörselnedsättning. "
        "Genom tillämpning av aktuell forskning kan man med relativt små medel minska denna grupps ofta stora "
        "känsla av utanförskap.",
        (Y, N, N, N),
    ),
    (
        "Boo Gårds skola",
        "Ett projekt med tre delar: lästräning, coachning och matematik",
        50000,
        "Boo Gårds skola belönas för vidgat perspektiv på vikten av skolans insatser på det sociala området. "
        "Skolan arbetar med ett brett angreppssätt för att hitta och stödja elever i behov av extra hjälp samt "
        "för att främja alla elevers lust och kreativitet.",
        (Y, Y, N, N),
    ),
    ("Kummelnäs förskola", "Skapa lust till berättande genom saga", 25000, "", None),
    ("Björknäs skola", "Hundassisterad pedagogik", 25000, "", None),
    ("Fisksätra bibliotek", "Berättelser på flera språk", 25000, "", (Y, P, Y, Y)),
    (
        "Orminge bibliotek",
        "Inspirera och stödja föräldrar till barn i förskolan med språknedsättning",
        25000,
        "",
        (Y, Y, Y, Y),
    ),
    ("Älta skola", "God läsutveckling", 25000, "", (Y, Y, Y, Y)),
    ("Förskolan Kul", "Rytmisk rörelseträning", 25000, "", None),
]
ROUND_2 = [
    (
        "Ektorps skolenhet",
        "TAKK – tecken som alternativ och kompletterande kommunikation",
        40000,
        "Ektorps skolenhet tilldelas 40 000 kr i stimulansbidrag 2014 för sitt arbete med TAKK "
        "teckenkommunikation och spridandet av denna i resten av kommunens skolor. Genom att använda tecken som "
        "kompletterande kommunikation bidrar metoden till en snabbare språkutveckling. En snabbare "
        "språkutveckling kan i sin tur leda till minskade konflikter och öka barnens chanser att lyckas i skolan.",
        (Y, Y, Y, Y),
    ),
    (
        "Svenska med baby",
        "Svenska med baby – i samarbete med bibliotek, Folkets hus och familjecentralen",
        40000,
        "Verksamheten Svenska med baby, som med sin verksamhet bryter isolering och leder till gränslösa möten, "
        "tilldelas för sin verksamhet i samarbete med lokala aktörer 40 000 kr i stimulansbidrag 2014. "
        "Verksamheten ger deltagarna stöd i föräldrarollen, bryter utanförskap och förbättrar på detta sätt "
        "barnens livschanser.",
        (Y, Y, Y, Y),
    ),
    (
        "Välfärd skola, Barn- och elevhälsan",
        "Anknytning i förskolan",
        40000,
        "Välfärd skola, Barn- och elevhälsan, tilldelas 40 000 kr i stimulansbidrag 2014 för sitt projekt "
        "Anknytning i förskolan. Projektet syftar till att arbeta fram ett material om hur förskolor på bästa "
        "sätt kan väva samman sina rutiner med ny kunskap om anknytning. Forskning har visat att anknytning har "
        "stor betydelse för både barn och deras föräldrar.",
        (Y, N, Y, Y),
    ),
]
# (date, title, speakers, presenting grant holders from round 1)
LECTURES_2013 = [
    (
        date(2013, 10, 2),
        "Upptäcka och identifiera",
        "Ewa Westin, Eva-Christina Bergander, Margareta Öhman, Ylva Andersson",
    ),
    (date(2013, 11, 22), "Samverkan med föräldrar – det professionella samtalet", "Siv Sagerberg"),
    (date(2013, 12, 3), "Metoder och verktyg", "Ylva Andersson, Leif Strandberg"),
]
LECTURES_2014 = [
    (date(2014, 5, 13), "Tidiga signaler i vardagen – bidragstagarna berättar", "Ylva Andersson"),
    (date(2014, 8, 26), "Att samtala med föräldrar om oro – goda exempel", "Margareta Öhman"),
    (date(2014, 9, 19), "Metoder som når fler yrkesgrupper", "Leif Strandberg"),
]
# Participants per profession, in percent: about 80 % preschool staff, only a few from social services.
MIX_2013 = {
    "preschool": 80,
    "child_health": 5,
    "church_civil": 3,
    "family_centre": 5,
    "school": 5,
    "social_services": 2,
}
MIX_2014 = {
    "preschool": 72,
    "child_health": 6,
    "church_civil": 3,
    "family_centre": 6,
    "school": 9,
    "social_services": 4,
}
# The Hässelby-Vällingby pilot, tkr by year: staff (incl. management and cover) and other costs.
HASSELBY = {2020: (8177, 1400), 2021: (8411, 1400), 2022: (1752, 1400)}


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


class _Builder:
    def __init__(self, municipality: Municipality, today: date, seed: int) -> None:
        self.municipality = municipality
        self.today = today
        self.random = random.Random(seed)  # noqa: S311 -- reproducible fictitious data, no secrets
        logins = dict(
            User.objects.filter(username__in=["chef", "rektor", "socialsekreterare"]).values_list("username", "pk")
        )
        self.chef = logins["chef"]
        self.assessors = [logins["rektor"], logins["socialsekreterare"]]

    def nacka(self) -> None:
        programme = Programme.objects.create(
            municipality=self.municipality,
            name="Tidiga och tydliga insatser för barn och unga 2013–2014",
            owner="Kommunstyrelsen",
            description=(
                "Fyra tillfälliga satsningar för tidiga insatser: stimulans för goda exempel och goda idéer, tydlig "
                "och lättillgänglig information, en samlad bild av barn och unga i behov av stöd, och tidiga "
                "insatser tidigt i livet (kompetensutveckling). Kommunfullmäktige avsatte 3 miljoner kronor."
            ),
            starts_on=date(2013, 4, 22),
            ends_on=date(2014, 12, 31),
            steering_group="Stadsdirektör\nVälfärdsdirektör skola\nVälfärdsdirektör samhällsservice\nSocialdirektör",
        )
        parts = {
            key: SubProject.objects.create(programme=programme, name=name)
            for key, name in [
                ("information", "Tydlig och lättillgänglig information"),
                ("statistics", "Samlad bild av barn och unga i behov av stöd"),
                ("grants", "Stimulans för goda exempel och goda idéer"),
                ("lectures", "Tidiga insatser tidigt i livet – kompetensutveckling"),
            ]
        }
        line = BudgetLine.objects.create(programme=programme, year=2013, allocated=3_000_000)
        self.entries: list[BudgetEntry] = []
        book = self._book_both(line)
        book(39000, "Samlad statistik: indikatorer och sammanställning", date(2014, 11, 30), parts["statistics"])
        first = self._round(
            programme,
            line,
            parts["grants"],
            "Stimulans för goda exempel och goda idéer, omgång 1",
            _at(date(2013, 6, 10), 8),
            _at(date(2013, 9, 16), 0),
            date(2014, 10, 31),
            "50000,25000",
            ROUND_1,
        )
        self._round(
            programme,
            line,
            parts["grants"],
            "Stimulans för goda exempel och goda idéer, omgång 2",
            _at(date(2013, 11, 1), 8),
            _at(date(2014, 2, 1), 0),
            date(2014, 11, 30),
            "40000",
            ROUND_2,
        )
        # Spreading the ideas: 452 000 kr in all for the grants, of which 420 000 kr are awards.
        book(32000, "Stimulansbidrag: information, dokumentation och spridning", date(2014, 12, 15), parts["grants"])
        lectures = self._lectures(programme, LECTURES_2013, MIX_2013, presenting=[])
        lectures += self._lectures(programme, LECTURES_2014, MIX_2014, presenting=first[:3])
        for event, amount in zip(lectures, (12000, 11000, 11000, 11000, 11000, 11000), strict=True):
            event.budget_line = line
            event.save(update_fields=["budget_line"])
            book(
                amount, f"Föreläsning: {event.title}", event.sessions.first().starts_at.date(), parts["lectures"], event
            )
        BudgetEntry.objects.bulk_create(self.entries)

    def _book_both(self, line: BudgetLine):
        def book(amount: int, description: str, on: date, part: SubProject, event: Event | None = None) -> None:
            for kind in (BudgetEntry.Kind.COMMITTED, BudgetEntry.Kind.USED):
                self.entries.append(
                    BudgetEntry(
                        line=line,
                        kind=kind,
                        amount=amount,
                        description=description,
                        booked_on=on,
                        sub_project=part,
                        event=event,
                    )
                )

        return book

    def _round(self, programme, line, part, title, opens, closes, follow_up_due, levels, awards) -> list[Application]:
        call = GrantCall.objects.create(
            programme=programme,
            budget_line=line,
            title=title,
            purpose=PURPOSE,
            target_group=TARGET,
            who_may_apply=WHO,
            opens_at=opens,
            closes_at=closes,
            award_levels=levels,
            budget=sum(a[2] for a in awards),
            scale_max=5,
            follow_up_due_on=follow_up_due,
        )
        call.assessors.add(*self.assessors)
        criteria = [Criterion.objects.create(call=call, position=i, title=t) for i, t in enumerate(CRITERIA, start=1)]
        applications = []
        decided = closes + timedelta(days=21)
        for organisation, idea, amount, motivation, answers in awards:
            application = Application.objects.create(
                call=call,
                organisation=organisation,
                contact_name=f"Kontaktperson, {organisation}",
                contact_email="kontakt@example.org",
                title=idea,
                description=f"{idea}. Idén riktar sig till barn 0–9 år och deras familjer.",
                amount_requested=amount,
                may_publish=True,
                status=Application.Status.AWARDED,
                submitted_at=closes - timedelta(days=self.random.randint(1, 20)),
            )
            for assessor in self.assessors:
                high = 5 if amount >= 40000 else 4
                Score.objects.bulk_create(
                    Score(
                        application=application,
                        criterion=c,
                        assessor_id=assessor,
                        value=self.random.randint(high - 1, high),
                    )
                    for c in criteria
                )
            text = motivation or f"{organisation} belönas för idén: {idea[0].lower()}{idea[1:]}."
            Decision.objects.create(
                application=application,
                awarded=True,
                amount=amount,
                motivation=text,
                decided_by_id=self.chef,
                decided_at=decided,
            )
            self.entries.append(
                BudgetEntry(
                    line=line,
                    kind=BudgetEntry.Kind.COMMITTED,
                    amount=amount,
                    description=f"{title}: {organisation}",
                    booked_on=decided.date(),
                    sub_project=part,
                    application=application,
                )
            )
            self.entries.append(
                BudgetEntry(
                    line=line,
                    kind=BudgetEntry.Kind.USED,
                    amount=amount,
                    description=f"{title}: {organisation}",
                    booked_on=decided.date() + timedelta(days=14),
                    sub_project=part,
                    application=application,
                )
            )
            report = FollowUp(application=application, due_on=follow_up_due)
            if answers is not None:
                report.used_as_applied, report.achieved_result, report.gained_knowledge, report.continues = answers
                report.money_used = amount
                report.submitted_at = _at(follow_up_due - timedelta(days=5), 10)
            else:
                report.reminded_on = follow_up_due
            report.save()
            applications.append(application)
        return applications

    def _lectures(self, programme, lectures, mix, presenting) -> list[Event]:
        events = []
        for day, title, speakers in lectures:
            event = Event.objects.create(
                programme=programme,
                title=title,
                place="Stadshuset, Sjöstad",
                speakers=speakers,
                target_professions="Förskola, skola upp till årskurs 3, BVC, familjecentral, socialtjänst",
            )
            event.presenting.add(*presenting)
            sessions = [
                EventSession.objects.create(event=event, starts_at=_at(day, 8, 30), ends_at=_at(day, 12), capacity=75),
                EventSession.objects.create(event=event, starts_at=_at(day, 13), ends_at=_at(day, 16, 30), capacity=75),
            ]
            self._attend(sessions, mix, total=self.random.randint(125, 150))
            events.append(event)
        return events

    def _attend(self, sessions, mix, *, total: int) -> None:
        professions = [p for p, share in mix.items() for _ in range(share)]
        registrations = []
        for n in range(total):
            session = sessions[n % 2]
            registrations.append(
                Registration(
                    session=session,
                    profession=self.random.choice(professions),
                    status=Registration.Status.PLACE,
                    registered_at=session.starts_at - timedelta(days=20, minutes=n),
                    attended=True,
                )
            )
        Registration.objects.bulk_create(registrations)
        evaluations = [
            Evaluation(
                registration=r,
                rating=self.random.choice((4, 5, 5, 5)),
                would_recommend=self.random.random() < 0.97,
            )
            for r in registrations
            if self.random.random() < 0.7
        ]
        Evaluation.objects.bulk_create(evaluations)

    def hasselby(self) -> None:
        programme = Programme.objects.create(
            municipality=self.municipality,
            name="Pilot tidiga insatser 2020–2022",
            owner="Stadsdelsnämnden",
            description=(
                "Piloten genomförs 2020–2021; under 2022 sprids arbetet. Budgeten följer Hässelby-Vällingbys plan: "
                "personalkostnader inklusive ledning och vikarietäckning, och övriga kostnader (marknadsföring, "
                "digitalt stöd, del av lokalkostnader)."
            ),
            starts_on=date(2020, 1, 1),
            ends_on=date(2022, 12, 31),
        )
        staff = SubProject.objects.create(
            programme=programme, name="Personalkostnader inkl. ledning och vikarietäckning"
        )
        other = SubProject.objects.create(programme=programme, name="Övriga kostnader")
        for year, (staff_tkr, other_tkr) in HASSELBY.items():
            BudgetLine.objects.create(programme=programme, sub_project=staff, year=year, allocated=staff_tkr * 1000)
            BudgetLine.objects.create(programme=programme, sub_project=other, year=year, allocated=other_tkr * 1000)

    def current(self) -> None:
        """A programme of this year with an open call and coming lectures, to try the pages with."""
        year = self.today.year
        programme = Programme.objects.create(
            municipality=self.municipality,
            name=f"Tidiga insatser {year}",
            owner="Kommunstyrelsen",
            description="Stimulansbidrag och föreläsningar som ska intressera fler yrkesgrupper.",
            starts_on=date(year, 1, 1),
            ends_on=date(year + 1, 12, 31),
            steering_group="Stadsdirektör\nSocialdirektör",
        )
        line = BudgetLine.objects.create(programme=programme, year=year, allocated=500_000)
        now = timezone.now()
        call = GrantCall.objects.create(
            programme=programme,
            budget_line=line,
            title=f"Stimulans för goda exempel och goda idéer {year}",
            purpose=PURPOSE,
            target_group=TARGET,
            who_may_apply=WHO,
            opens_at=now - timedelta(days=7),
            closes_at=_at(self.today + timedelta(days=30), 23, 59),
            award_levels="50000,25000",
            budget=200_000,
            scale_max=5,
            follow_up_due_on=self.today + timedelta(days=300),
        )
        call.assessors.add(*self.assessors)
        for i, title in enumerate(CRITERIA, start=1):
            Criterion.objects.create(call=call, position=i, title=title)
        day = self.today + timedelta(days=21)
        event = Event.objects.create(
            programme=programme,
            budget_line=line,
            title="Upptäcka och identifiera – för alla yrkesgrupper",
            place="Stadshuset, Sjöstad",
            speakers="Barn- och elevhälsan, socialtjänstens familjeenhet",
            target_professions="Förskola, skola, BVC, socialtjänst, fritid och föreningar",
        )
        EventSession.objects.create(event=event, starts_at=_at(day, 8, 30), ends_at=_at(day, 12), capacity=75)
        EventSession.objects.create(event=event, starts_at=_at(day, 13), ends_at=_at(day, 16, 30), capacity=75)


@transaction.atomic
def demo_programmes_build(*, seed: int, today: date | None = None) -> dict[str, int]:
    """Build the demo programmes in the demo municipality; return row counts for the summary."""
    builder = _Builder(Municipality.objects.get(code=MUNICIPALITY_CODE), today or timezone.localdate(), seed)
    builder.nacka()
    builder.hasselby()
    builder.current()
    return {
        "program": Programme.objects.count(),
        "stimulansbidrag (beslut)": Decision.objects.count(),
        "föreläsningsanmälningar": Registration.objects.count(),
    }
