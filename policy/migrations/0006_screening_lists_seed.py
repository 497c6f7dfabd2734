"""A sensible starting list for the pre-screen; the policy admins change it in the portal."""

from django.db import migrations

TERMS = [
    # Internal matters (clause 4.4: nothing about how the school runs day to day)
    "staff meeting",
    "staffroom",
    "disciplinary",
    "grievance",
    "suspension",
    "suspended",
    "exclusion",
    "excluded",
    "safeguarding concern",
    "Ofsted",
    "inspection",
    "redundancy",
    "restructure",
    "budget cuts",
    "complaint",
    "tribunal",
    "police",
    "investigation",
    "confidential",
    "SEN register",
    "free school meals",
    "detention",
    # Derogatory or inflammatory words
    "idiot",
    "stupid",
    "useless",
    "pathetic",
    "disgrace",
    "retard",
    "lame",
    "crazy",
]

SITES = [
    "redbridge.example",
    "redbridge.gov.uk",
    "gov.uk",
    "nhs.uk",
    "bbc.co.uk",
    "parliament.uk",
    "ofsted.gov.uk",
    "nationaltrust.org.uk",
    "youtube.com",
]


def seed(apps, schema_editor):
    ScreeningTerm = apps.get_model("policy", "ScreeningTerm")
    UsualSite = apps.get_model("policy", "UsualSite")
    for term in TERMS:
        ScreeningTerm.objects.get_or_create(term=term)
    for domain in SITES:
        UsualSite.objects.get_or_create(domain=domain)


class Migration(migrations.Migration):
    dependencies = [("policy", "0005_screening_lists")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
