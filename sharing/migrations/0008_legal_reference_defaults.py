"""Seed the legal references Samplan cites: DOMAIN.md B3/B4, with unconfirmed section numbers marked unverified."""

from datetime import date

from django.db import migrations

SOL_NEW_NOTE = (
    "Socialtjänstlagen (2025:400) ersatte SoL (2001:453) den 1 juli 2025 och numrerade om lagen (prop. 2024/25:89). "
    "Anmälningsskyldigheten finns kvar i den nya lagen: prop. 2025/26:12 (11 september 2025) föreslår att fler "
    "myndigheter, deras anställda och ordningsvakter ska vara skyldiga enligt socialtjänstlagen (2025:400) att genast "
    "anmäla till socialnämnden, och en tidsgräns för återkoppling till anmälaren. Vilket kapitel och vilken paragraf "
    "i den nya lagen som innehåller skyldigheten har inte kunnat kontrolleras: fyll i och kryssa i kontrollerad."
)
DEFAULTS = [
    {
        "key": "duty_to_report",
        "law": "Socialtjänstlag (2001:453)",
        "short_law": "SoL (2001:453)",
        "provision": "14 kap. 1 §",
        "title": "Skyldighet att genast anmäla till socialnämnden vid kännedom om eller misstanke att ett barn far illa",
        "valid_from": date(2002, 1, 1),
        "valid_until": date(2025, 6, 30),
        "verified": True,
        "note": "Lydelse enligt SFS 2002:378 (lagboken.se); Socialstyrelsen, Anmäla oro för barn (2014).",
    },
    {
        "key": "duty_to_report",
        "law": "Socialtjänstlag (2025:400)",
        "short_law": "SoL (2025:400)",
        "provision": "",
        "title": "Skyldighet att genast anmäla till socialnämnden vid kännedom om eller misstanke att ett barn far illa",
        "valid_from": date(2025, 7, 1),
        "valid_until": None,
        "verified": False,
        "note": SOL_NEW_NOTE,
    },
    {
        "key": "emergency_access",
        "law": "Patientdatalag (2008:355)",
        "short_law": "PDL (2008:355)",
        "provision": "6 kap. 3–4 §",
        "title": "Nödåtkomst i sammanhållen journalföring: patienten kan inte samtycka och uppgifterna kan ha betydelse "
        "för vård som behövs omedelbart",
        "valid_from": date(2008, 7, 1),
        "valid_until": None,
        "verified": False,
        "note": "Paragrafnumren är ur minnet (DOMAIN.md B4, [M]); kontrollera mot lagtexten i kraft.",
    },
    {
        "key": "duty_to_inform",
        "law": "Offentlighets- och sekretesslag (2009:400)",
        "short_law": "OSL (2009:400)",
        "provision": "10 kap. 28 §",
        "title": "Sekretess hindrar inte att en uppgift lämnas när en lag eller förordning föreskriver uppgiftsskyldighet",
        "valid_from": date(2009, 6, 30),
        "valid_until": None,
        "verified": False,
        "note": "Paragrafnumret är ur minnet (DOMAIN.md B3, [M]); kontrollera mot lagtexten i kraft.",
    },
    {
        "key": "consent",
        "law": "Offentlighets- och sekretesslag (2009:400)",
        "short_law": "OSL (2009:400)",
        "provision": "12 kap. 2–3 §",
        "title": "Den enskilde kan helt eller delvis häva sekretess till sitt skydd; för barn vårdnadshavaren eller "
        "barnet efter ålder och mognad",
        "valid_from": date(2009, 6, 30),
        "valid_until": None,
        "verified": False,
        "note": "Paragrafnumren är ur minnet (DOMAIN.md B3, [M]); kontrollera mot lagtexten i kraft.",
    },
]


def seed(apps, schema_editor):
    LegalReference = apps.get_model("sharing", "LegalReference")
    for row in DEFAULTS:
        LegalReference.objects.get_or_create(key=row["key"], valid_from=row["valid_from"], defaults=row)


def unseed(apps, schema_editor):
    LegalReference = apps.get_model("sharing", "LegalReference")
    for row in DEFAULTS:
        LegalReference.objects.filter(key=row["key"], valid_from=row["valid_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("sharing", "0007_legal_reference")]

    operations = [migrations.RunPython(seed, unseed)]
