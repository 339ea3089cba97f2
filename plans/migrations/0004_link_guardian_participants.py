"""Link the guardians already in plans to their guardian records, so they can answer in the family view.

A guardian participant was written with the guardian's name only (`plan_start` added every
guardian with custody that day). The link is made where exactly one of the child's guardians has
that name; anything else stays unlinked, and staff record that guardian's answer as before.
Backwards the links are removed again.
"""

from django.db import migrations


def link(apps, schema_editor):
    Participant = apps.get_model("plans", "Participant")
    Guardianship = apps.get_model("people", "Guardianship")
    rows = Participant.objects.filter(role="guardian", guardian__isnull=True).select_related("plan")
    for row in rows.iterator(chunk_size=2000):
        names = Guardianship.objects.filter(child_id=row.plan.child_id).values_list(
            "guardian_id", "guardian__given_name", "guardian__family_name"
        )
        matches = {pk for pk, given, family in names if f"{given} {family}" == row.name}
        if len(matches) == 1:
            row.guardian_id = matches.pop()
            row.save(update_fields=["guardian"])


def unlink(apps, schema_editor):
    apps.get_model("plans", "Participant").objects.update(guardian=None)


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_family_answers_action_version")]
    operations = [migrations.RunPython(link, unlink)]
