"""What a log row says happened, in words: "läste barnets översikt", "hämtade planen som PDF".

Audit rows store the route or command that touched the data (`target`) and the kind of access (`action`).
People reading a log extract must never see those identifiers, so every target that code logs has a phrase
here: first the exact route or command, then the namespace before the colon, and for a target this table
does not know (an old row of a route since removed) a plain phrase that shows no identifier. A test walks
the URL resolver and the targets written in the code and fails when one has no phrase of its own.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# What was done, around what it was done to (%(what)s): one sentence per kind of access.
VERBS: dict[str, Promise] = {
    "read": _("läste %(what)s"),
    "create": _("registrerade i %(what)s"),
    "update": _("ändrade i %(what)s"),
    "delete": _("tog bort ur %(what)s"),
    "export": _("hämtade %(what)s"),
    "print": _("skrev ut %(what)s"),
    "lookup": _("sökte fram barnet på personnummer"),
}

# What the route or command shows or changes, as the object of the sentence.
TARGETS: dict[str, Promise] = {
    # The child's pages
    "people:child_list": _("listan över barn på enheterna"),
    "people:lookup": _("sökningen på personnummer"),
    "people:child": _("barnets översikt"),
    "people:child-edit": _("barnets grunduppgifter"),
    "people:child_export": _("barnets uppgifter som fil"),
    "namedperson:my_children": _("listan över mina barn"),
    "namedperson:handovers": _("överlämningarna"),
    "namedperson:accept": _("överlämningen av barnet"),
    "namedperson:summary": _("sammanfattningen inför överlämningen"),
    "namedperson:without": _("listan över barn utan namngiven person"),
    "audit:child_log": _("barnets loggutdrag"),
    "audit:child_log_csv": _("barnets loggutdrag som CSV-fil"),
    # Sharing: consents, emergency access, reports of concern, disclosures and blocks
    "sharing:consents": _("barnets samtycken"),
    "sharing:consent_new": _("ett nytt samtycke"),
    "sharing:consent_notice": _("informationen om samtycket"),
    "sharing:consent_record_answer": _("vårdnadshavarens svar på samtycket"),
    "sharing:consent_evidence": _("underlaget för samtycket"),
    "sharing:consent_limit": _("samtyckets omfattning"),
    "sharing:consent_extend": _("samtyckets giltighetstid"),
    "sharing:consent_withdraw": _("återkallelsen av samtycket"),
    "sharing:consent_cancel": _("samtycket som avbröts"),
    "sharing:emergency_start": _("en nödåtkomst till barnets uppgifter"),
    "sharing:emergency_end": _("nödåtkomsten"),
    "sharing:my_emergency_accesses": _("listan över mina nödåtkomster"),
    "sharing:emergency_review_queue": _("nödåtkomsterna att granska"),
    "sharing:emergency_review": _("granskningen av nödåtkomsten"),
    "sharing:report_new": _("en orosanmälan"),
    "sharing:my_reports": _("mina orosanmälningar"),
    "sharing:report_intake": _("inkomna orosanmälningar"),
    "sharing:report_detail": _("orosanmälan"),
    "sharing:disclosures": _("barnets utlämnanden"),
    "sharing:disclosure_new": _("ett nytt utlämnande"),
    "sharing:disclosure_revoke": _("utlämnandet som drogs tillbaka"),
    "sharing:blocks": _("barnets spärrar"),
    "sharing:block_new": _("en ny spärr"),
    "sharing:block_lift": _("spärren som hävdes"),
    # The family's own pages
    "family:home": _("familjens sida om barnen"),
    "family:logs": _("familjens val av loggutdrag"),
    "family:choose_logs": _("familjens val av loggutdrag"),
    "family:choose_consents": _("familjens val av samtycken"),
    "family:child": _("familjens sida om barnet"),
    "family:plan": _("barnets plan på familjens sida"),
    "family:support": _("familjens begäran om stöd"),
    "family:plan_answer": _("familjens svar på planen"),
    "family:child_log": _("barnets loggutdrag på familjens sida"),
    "family:child_log_csv": _("barnets loggutdrag som CSV-fil på familjens sida"),
    "family:consents": _("samtyckena på familjens sida"),
    "family:consent_answer": _("familjens svar på samtycket"),
    "family:consent_withdraw": _("familjens återkallelse av samtycket"),
    "family:consent_evidence": _("underlaget för samtycket på familjens sida"),
    # Wellbeing
    "wellbeing:chronology": _("barnets kronologi"),
    "wellbeing:entry_new": _("en ny anteckning i kronologin"),
    "wellbeing:entry": _("en anteckning i kronologin"),
    "wellbeing:entry_correct": _("rättelsen av en anteckning i kronologin"),
    "wellbeing:five_questions": _("de fem frågorna om barnet"),
    "wellbeing:follow_ups": _("uppföljningarna efter de fem frågorna"),
    "wellbeing:follow_up_done": _("en uppföljning efter de fem frågorna"),
    "wellbeing:wheel": _("barnets välbefinnandehjul"),
    "wellbeing:wheel_new": _("en ny bedömning i välbefinnandehjulet"),
    "wellbeing:wheel_child": _("barnets egen bedömning i välbefinnandehjulet"),
    "wellbeing:assessments": _("barnets bedömningar"),
    "wellbeing:triangle_new": _("en ny bedömning i triangeln"),
    "wellbeing:matrix_new": _("en ny bedömning i matrisen"),
    "wellbeing:instruments": _("barnets formulär och skattningar"),
    "wellbeing:instrument_new": _("ett nytt formulär eller en ny skattning"),
    "wellbeing:family_wheel": _("välbefinnandehjulet på familjens sida"),
    # Plans
    "plans:reminders": _("påminnelserna om planer"),
    "plans:start": _("en ny plan för barnet"),
    "plans:plan": _("barnets plan"),
    "plans:edit": _("barnets plan"),
    "plans:agree": _("planen som skickas för godkännande"),
    "plans:send": _("planen som skickades till familjen"),
    "plans:activate": _("planen som började gälla"),
    "plans:review": _("uppföljningen av planen"),
    "plans:close": _("avslutningen av planen"),
    "plans:decline": _("planen som inte godkändes"),
    "plans:participants": _("planens deltagare"),
    "plans:participant_view": _("planen som deltagare ser den"),
    "plans:needs": _("planens behov"),
    "plans:actions": _("planens åtgärder"),
    "plans:action_status": _("en åtgärds status i planen"),
    "plans:action_edit": _("en åtgärd i planen"),
    "plans:links": _("planens kopplingar"),
    "plans:remove": _("en del av planen"),
    "plans:versions": _("planens versioner"),
    "plans:version": _("en tidigare version av planen"),
    "plans:compare": _("jämförelsen mellan planens versioner"),
    "plans:pdf": _("planen som PDF"),
    # Catalogue: referrals and requests for support about a child
    "catalogue:export": _("insatskatalogen som fil"),
    "catalogue:suggestions": _("förslagen på insatser för barnet"),
    "catalogue:suggestions_offered": _("insatserna som föreslogs för barnet"),
    "catalogue:referrals": _("barnets remisser till insatser"),
    "catalogue:referral_status": _("en remiss status"),
    "catalogue:requests": _("barnets begäran om stöd"),
    "catalogue:intake": _("mottagningens lista"),
    "catalogue:intake_triage": _("mottagningens bedömning"),
    "catalogue:intake_route": _("mottagningens vidarebefordran"),
    "catalogue:intake_support": _("mottagningens beslut om stöd"),
    "catalogue:queue": _("insatsens kö"),
    "catalogue:queue_status": _("en remiss status i insatsens kö"),
    # Programmes: links sent to applicants outside the municipality
    "programmes:application_link": _("ansökan via länk"),
    "programmes:attachment_link": _("en bilaga via länk"),
    "programmes:follow_up_link": _("uppföljningen via länk"),
    "programmes:apply_outside": _("ansökan utifrån"),
    # The API, by what each route reads or writes
    "api:children_list": _("listan över barn"),
    "api:child_detail": _("barnets uppgifter"),
    "api:child_lookup": _("sökningen på personnummer"),
    "api:child_enrolments": _("barnets inskrivningar"),
    "api:child_named_persons": _("barnets namngivna personer"),
    "api:emergency_start": _("en nödåtkomst till barnets uppgifter"),
    "api:emergency_end": _("nödåtkomsten"),
    "api:emergency_mine": _("listan över mina nödåtkomster"),
    "api:emergency_review_queue": _("nödåtkomsterna att granska"),
    "api:emergency_review": _("granskningen av nödåtkomsten"),
    "api:report_file": _("en orosanmälan"),
    "api:report_receipts": _("kvittona på orosanmälningar"),
    "api:child_disclosures": _("barnets utlämnanden"),
    "api:child_blocks": _("barnets spärrar"),
    "api:block_list": _("barnets spärrar"),
    "api:block_lift": _("spärren som hävdes"),
    "api:family_children": _("familjens barn"),
    "api:family_child": _("familjens uppgifter om barnet"),
    "api:family_child_log": _("barnets loggutdrag för familjen"),
    "api:child_consents": _("barnets samtycken"),
    "api:consent_create": _("ett nytt samtycke"),
    "api:consent_withdraw": _("återkallelsen av samtycket"),
    "api:family_consents": _("familjens samtycken"),
    "api:family_consent_answer": _("familjens svar på samtycket"),
    "api:child_chronology": _("barnets kronologi"),
    "api:child_chronology_create": _("en ny anteckning i kronologin"),
    "api:child_assessments": _("barnets bedömningar"),
    "api:child_assessments_create": _("en ny bedömning"),
    "api:child_instrument_responses": _("barnets formulär och skattningar"),
    "api:child_instrument_responses_create": _("ett nytt formulär eller en ny skattning"),
    "api:child_plan": _("barnets plan"),
    "api:plan": _("barnets plan"),
    "api:plan_reviews": _("uppföljningarna av planen"),
    "api:meeting_detail": _("teamets möte"),
    "api:meeting_cases_create": _("ett nytt ärende på teamets möte"),
    "api:meeting_outcomes_create": _("ett nytt resultat från teamets möte"),
    "api:team_consent_requests": _("teamets frågor om samtycke"),
    "api:team_consent_reason": _("teamets skäl för samtycke"),
    "api:registration_mine": _("mina anmälningar"),
    "api:registration_create": _("en ny anmälan"),
    "api:programme_registration_create": _("en ny anmälan"),
    "api:child_referrals": _("barnets remisser till insatser"),
    "api:referral_queue": _("insatsens kö"),
    "api:referral_status": _("en remiss status"),
    "api:child_support_requests": _("barnets begäran om stöd"),
    "api:intake_requests": _("mottagningens lista"),
    "api:intake_triage": _("mottagningens bedömning"),
    "api:intake_route": _("mottagningens vidarebefordran"),
    "api:indicator_values": _("indikatorernas värden"),
    "api:indicator_value_create": _("ett nytt värde för en indikator"),
    # The start page's work lists
    "core:tasks": _("listan över det som väntar i mitt arbete"),
    # Registration of children, guardians and enrolments
    "registration:home": _("registreringens lista över barn i kommunen"),
    "registration:child_new": _("sökningen efter dubbletter när ett nytt barn registrerades"),
    "registration:child": _("barnets registrerade grunduppgifter"),
    "registration:child_edit": _("rättelsen av barnets registrerade grunduppgifter"),
    "registration:guardian_add": _("registreringen av en vårdnadshavare till barnet"),
    "registration:guardianship": _("barnets registrerade vårdnadshavare"),
    "registration:guardianship_end": _("avslutningen av en vårdnadshavares relation till barnet"),
    "registration:enrolment_add": _("registreringen av en inskrivning för barnet"),
    "registration:enrolment": _("barnets registrerade inskrivningar"),
    "registration:enrolment_end": _("avslutningen av en inskrivning för barnet"),
    "registration:merge": _("sammanslagningen av barnet med en dubblett"),
    # Imports from the population register and the school administration system
    "imports:list": _("listan över importer"),
    "imports:navet_upload": _("uppladdningen av en fil från folkbokföringen (Navet)"),
    "imports:ss12000_sync": _("starten av en hämtning från skolans administrativa system (SS12000)"),
    "imports:detail": _("rapporten från en importkörning"),
    "import_navet": _("barnets uppgifter i importen från folkbokföringen (Navet)"),
    "sync_ss12000": _("barnets uppgifter i synkroniseringen med skolans administrativa system (SS12000)"),
    # Indicators: aggregate figures, never a child
    "indicators:list": _("listan över indikatorer"),
    "indicators:detail": _("en indikators definition och värden"),
    "indicators:enter": _("rapporteringen av ett värde för en indikator"),
    "indicators:import": _("importen av indikatorvärden från en fil"),
    "indicators:rounds": _("rapporteringsomgångarna för indikatorer"),
    "indicators:round": _("en rapporteringsomgång för indikatorer"),
    "indicators:calculator": _("beräkningen av utanförskapets pris"),
    "indicators:calculator_export": _("beräkningen av utanförskapets pris som fil"),
    # Follow-up with aggregate figures, never a child
    "evaluation:home": _("uppföljningens lista över kommuner, enheter och piloter"),
    "evaluation:municipality": _("kommunens nyckeltal i uppföljningen"),
    "evaluation:unit": _("enhetens nyckeltal i uppföljningen"),
    "evaluation:pilot": _("pilotens jämförelse i uppföljningen"),
    "evaluation:pilot_new": _("registreringen av en ny pilot i uppföljningen"),
    "evaluation:pilot_edit": _("ändringen av en pilot i uppföljningen"),
    "evaluation:pilot_end": _("avslutningen av en pilot i uppföljningen"),
    # Notifications and the people picker
    "notifications:preferences": _("mina val av aviseringar"),
    "notification": _("en avisering om att något väntar"),
    "directory:people_search": _("sökningen efter personal att välja"),
    # Commands and the administration site
    "run_due_tasks": _("barnets uppgifter i den schemalagda körningen"),
    "plan_reminders": _("planerna i den schemalagda påminnelsen om uppföljning"),
    "meeting_series_plan": _("teamets mötesserie i den schemalagda planeringen"),
    "audit_checkpoint": _("loggens kontrollpunkt i den schemalagda körningen"),
    "wellbeing_follow_ups_due": _("uppföljningarna efter de fem frågorna i den schemalagda körningen"),
    "programme_follow_up_reminders": _("programmens uppföljningar i den schemalagda påminnelsen"),
    "catalogue_waiting_times": _("insatsernas väntetider i den schemalagda körningen"),
    "named-person handovers": _("överlämningarna i den schemalagda körningen"),
    "consents_expire": _("samtycken som gick ut, i den schemalagda körningen"),
    "consents_custody_ended": _("samtycken när vårdnaden upphörde, i den schemalagda körningen"),
    "notifications_send": _("aviseringarna i den schemalagda körningen"),
    "indicator_reporting_reminders": _("rapporteringsomgångarna i den schemalagda påminnelsen om indikatorer"),
    "sync_kolada": _("indikatorernas värden i hämtningen från Kolada"),
    "demo_data": _("demodata"),
    "admin": _("administrationen"),
    "admin:programmes": _("programmen i administrationen"),
}

# A target of a namespace whose routes are not child pages of their own: the area they belong to.
NAMESPACES: dict[str, Promise] = {
    "people": _("barnets uppgifter"),
    "plans": _("barnets plan"),
    "family": _("familjens sidor"),
    "wellbeing": _("barnets välbefinnande"),
    "sharing": _("delningen av barnets uppgifter"),
    "namedperson": _("den namngivna personens sidor"),
    "catalogue": _("insatskatalogen"),
    "guide": _("vägledningen om insatser"),
    "programmes": _("program och föreläsningar"),
    "teams": _("teamen"),
    "meetings": _("teamens möten"),
    "meeting": _("teamets möte"),
    "registration": _("registreringen av barnets uppgifter"),
    "imports": _("importerna"),
    "indicators": _("indikatorerna"),
    "evaluation": _("uppföljningen med sammanräknade siffror"),
    "notification": _("en avisering om att något väntar"),
    "notifications": _("aviseringarna"),
    "api": _("programmeringsgränssnittet"),
    "admin": _("administrationen"),
    "bench": _("en prestandamätning"),
}

UNKNOWN = _("barnets uppgifter")


def target_object(target: str) -> Promise:
    """Return what the target shows or changes, in words: its own phrase, its namespace's, or a plain one."""
    if target in TARGETS:
        return TARGETS[target]
    namespace = target.split(":", 1)[0]
    return NAMESPACES.get(namespace, UNKNOWN)


def has_own_phrase(target: str) -> bool:
    """Say whether the target has a phrase of its own or of its namespace (not the plain fallback)."""
    return target in TARGETS or target.split(":", 1)[0] in NAMESPACES


def describe(*, action: str, target: str) -> str:
    """Return what happened in words, in the active language, e.g. "läste barnets översikt"."""
    verb = VERBS.get(action, VERBS["read"])
    return str(verb) % {"what": str(target_object(target))}
