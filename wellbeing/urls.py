from django.urls import path

from wellbeing.views import assessments, chronology, family, five_questions, instruments

app_name = "wellbeing"

urlpatterns = [
    path("barn/<uuid:child_id>/kronologi/", chronology.chronology, name="chronology"),
    path("barn/<uuid:child_id>/kronologi/ny/", chronology.entry_new, name="entry_new"),
    path("barn/<uuid:child_id>/kronologi/<int:entry_id>/", chronology.entry, name="entry"),
    path("barn/<uuid:child_id>/kronologi/<int:entry_id>/rattelse/", chronology.entry_correct, name="entry_correct"),
    path(
        "barn/<uuid:child_id>/kronologi/<int:entry_id>/fem-fragor/",
        five_questions.five_questions,
        name="five_questions",
    ),
    path("uppfoljningar/", five_questions.follow_ups, name="follow_ups"),
    path("uppfoljningar/<int:follow_up_id>/klar/", five_questions.follow_up_done, name="follow_up_done"),
    path("barn/<uuid:child_id>/hjulet/", assessments.wheel, name="wheel"),
    path("barn/<uuid:child_id>/hjulet/ny/", assessments.wheel_new, name="wheel_new"),
    path("barn/<uuid:child_id>/hjulet/barnets-svar/", assessments.wheel_child, name="wheel_child"),
    path("barn/<uuid:child_id>/bedomningar/", assessments.assessments, name="assessments"),
    path("barn/<uuid:child_id>/bedomningar/triangel/", assessments.triangle_new, name="triangle_new"),
    path("barn/<uuid:child_id>/bedomningar/matris/", assessments.matrix_new, name="matrix_new"),
    path("barn/<uuid:child_id>/instrument/", instruments.instruments, name="instruments"),
    path("barn/<uuid:child_id>/instrument/<int:instrument_id>/", instruments.instrument_new, name="instrument_new"),
    path("familj/barn/<uuid:child_id>/hjulet/", family.family_wheel, name="family_wheel"),
]
