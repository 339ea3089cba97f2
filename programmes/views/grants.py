"""Grant pages: the call, applying (staff or outside organisations by a signed link), assessing, deciding,
the public page of awarded ideas and the follow-up report.

An outside applicant has no account: starting an application on the call's public page gives a signed
link that alone opens the draft, its attachments, its submission, withdrawal and later its follow-up.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import User
from audit import log as audit
from core.access import authenticated, is_verified, public
from organisations.models import Membership, Unit
from programmes import selectors, services
from programmes.forms import (
    ApplicationForm,
    AttachmentForm,
    ConflictForm,
    DecisionForm,
    FollowUpForm,
    ScoreForm,
    StaffApplicationForm,
)
from programmes.models import Application, Attachment, FollowUp, GrantCall, Score
from programmes.views.common import application_for, apply_errors, call_for, forbidden, via
from sharing import policy
from sharing.evidence import CONTENT_TYPES
from sharing.policy.rules import current

NOT_ASSESSOR = _("Du är inte bedömare i den här utlysningen. Den som har utlysningen kan lägga till dig.")
RUNNERS_ONLY = _("Bara chefer och administratörer i kommunen rangordnar och beslutar.")
NOT_YOURS = _("Ansökan är inte din. Bara den som skrev ansökan, bedömarna och de som beslutar kan öppna den.")
UNKNOWN_LINK = _("Länken till ansökan gäller inte. Kontrollera att hela länken kom med.")


@public
@require_safe
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    """Show a call to anyone: purpose, who may apply, criteria, award levels and the exact closing time."""
    call = GrantCall.objects.select_related("programme__municipality").filter(pk=call_id).first()
    if call is None:
        raise Http404
    now = timezone.now()
    # Staff of the programme's municipality apply for their unit; everyone else as an outside organisation.
    staff = is_verified(request.user) and selectors.programmes_for(request.user).filter(pk=call.programme_id).exists()
    context = {
        "call": call,
        "criteria": call.criteria.all(),
        "is_open": call.opens_at <= now < call.closes_at,
        "staff": staff,
        "may_run": staff and selectors.may_run(request.user, call.programme),
    }
    return render(request, "programmes/call_detail.html", context)


@public
@require_http_methods(["GET", "POST"])
def apply_outside(request: HttpRequest, call_id: int) -> HttpResponse:
    """Start an application as an organisation outside the municipality; the answer is the signed link."""
    call = GrantCall.objects.filter(pk=call_id).first()
    if call is None:
        raise Http404
    form = ApplicationForm(request.POST or None)
    if form.is_valid():
        actor = audit.Actor(user_id=None, username=f"{form.cleaned_data['contact_name']} (ansökningslänk)")
        try:
            application = services.application_start(
                call=call,
                via=services.Via(actor=actor, surface="page", target="programmes:apply_outside"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            token = services.application_link_token(application)
            messages.success(
                request,
                _("Utkastet är sparat. Spara länken till den här sidan: den är ditt enda sätt att öppna ansökan igen."),
            )
            return redirect("programmes:application_link", token=token)
    context = {"call": call, "form": form, "outside": True}
    return render(request, "programmes/application_form.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def apply_staff(request: HttpRequest, call_id: int) -> HttpResponse:
    """Start an application for one of the user's units."""
    call = call_for(request, call_id)
    units = policy.memberships(request.user).values_list("unit", flat=True)
    form = StaffApplicationForm(
        request.POST or None,
        units=Unit.objects.filter(pk__in=units),
        initial={"contact_name": request.user.get_full_name(), "contact_email": request.user.email},
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application = services.application_start(
                call=call, via=via(request, "programmes:apply_staff"), created_by=request.user, **data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Utkastet är sparat. Lägg till bilagor och skicka in före sista ansökningstid.")
            )
            return redirect("programmes:application", application_id=application.pk)
    context = {"call": call, "form": form}
    return render(request, "programmes/application_form.html", context, status=400 if form.errors else 200)


def _application_page(
    request: HttpRequest, application: Application, act: services.Via, here: str, token: str | None = None
) -> HttpResponse:
    """The applicant's page, for staff and link holders alike: edit, attach, submit, withdraw, follow up."""
    draft = application.status == Application.Status.DRAFT
    form = ApplicationForm(instance=application) if draft else None
    attachment_form = AttachmentForm() if draft else None
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "save" and draft:
                form = ApplicationForm(request.POST, instance=Application.objects.get(pk=application.pk))
                if form.is_valid():
                    services.application_update(application=application, via=act, **form.cleaned_data)
                    messages.success(request, _("Ändringarna är sparade."))
                    return redirect(here)
            elif step == "attach" and draft:
                attachment_form = AttachmentForm(request.POST, request.FILES)
                if attachment_form.is_valid():
                    services.attachment_add(
                        application=application,
                        upload=attachment_form.cleaned_data["file"],
                        title=attachment_form.cleaned_data["title"],
                        via=act,
                    )
                    messages.success(request, _("Bilagan är sparad."))
                    return redirect(here)
            elif step == "submit":
                services.application_submit(application=application, via=act)
                messages.success(request, _("Ansökan är inskickad. Du får besked när den är bedömd."))
                return redirect(here)
            elif step == "withdraw":
                services.application_withdraw(application=application, via=act)
                messages.success(request, _("Ansökan är återkallad."))
                return redirect(here)
        except ValidationError as exc:
            target = attachment_form if step == "attach" else form
            if target is not None:
                apply_errors(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
                return redirect(here)
    context = {
        "application": application,
        "call": application.call,
        "form": form,
        "attachment_form": attachment_form,
        "attachments": [(a, _attachment_url(a, token)) for a in application.attachments.all()],
        "follow_up": getattr(application, "follow_up", None),
        "follow_up_url": reverse("programmes:follow_up_link", args=[token])
        if token
        else reverse("programmes:follow_up", args=[application.pk]),
        "decision": getattr(application, "decision", None),
    }
    status = (
        400 if (form is not None and form.errors) or (attachment_form is not None and attachment_form.errors) else 200
    )
    return render(request, "programmes/application_detail.html", context, status=status)


def _attachment_url(attachment: Attachment, token: str | None) -> str:
    if token:
        return reverse("programmes:attachment_link", args=[token, attachment.pk])
    return reverse("programmes:attachment", args=[attachment.pk])


def _may_read(user, application: Application) -> bool:
    return (
        application.created_by_id == user.pk
        or services.is_assessor(application.call, user)
        or selectors.may_run(user, application.call.programme)
    )


@authenticated
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request, application_id)
    if application.created_by_id != request.user.pk:
        if _may_read(request.user, application):
            return redirect("programmes:score", application_id=application.pk)
        return forbidden(request, NOT_YOURS)
    here = reverse("programmes:application", args=[application.pk])
    return _application_page(request, application, via(request, "programmes:application"), here)


@public
@require_http_methods(["GET", "POST"])
def application_link(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_for_token(token)
    if application is None:
        return render(request, "programmes/forbidden.html", {"message": UNKNOWN_LINK}, status=404)
    act = services.Via(actor=services.link_actor(application), surface="page", target="programmes:application_link")
    here = reverse("programmes:application_link", args=[token])
    return _application_page(request, application, act, here, token)


def _send(attachment: Attachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    suffix = "." + attachment.file.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"bilaga-{attachment.pk}{suffix if suffix in CONTENT_TYPES else ''}",
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )


@authenticated
@require_safe
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = Attachment.objects.select_related("application").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    application = application_for(request, attachment.application_id)
    if not _may_read(request.user, application):
        return forbidden(request, NOT_YOURS)
    return _send(attachment)


@public
@require_safe
def attachment_link(request: HttpRequest, token: str, attachment_id: int) -> HttpResponse:
    application = services.application_for_token(token)
    attachment = application.attachments.filter(pk=attachment_id).first() if application else None
    if attachment is None:
        raise Http404
    return _send(attachment)


# --- Assessment ---


@authenticated
@require_safe
def assess_list(request: HttpRequest, call_id: int) -> HttpResponse:
    """List the call's submitted applications for an assessor, with conflicts and progress."""
    call = call_for(request, call_id)
    if not services.is_assessor(call, request.user):
        return forbidden(request, NOT_ASSESSOR)
    context = {
        "call": call,
        "rows": selectors.applications_to_assess(call, request.user),
        "total": call.criteria.count(),
    }
    return render(request, "programmes/assess_list.html", context)


def _save_scores(form: ScoreForm, application: Application, user, act: services.Via) -> bool:
    """Save every criterion's score in one transaction; on a refusal show it on the form and save none."""
    try:
        with transaction.atomic():
            for criterion in form.criteria:
                services.score_set(
                    application=application,
                    criterion=criterion,
                    assessor=user,
                    value=form.cleaned_data[f"score_{criterion.pk}"],
                    comment=form.cleaned_data[f"comment_{criterion.pk}"],
                    via=act,
                )
    except (ValidationError, PermissionDenied) as exc:
        apply_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(NOT_ASSESSOR))
        return False
    return True


@authenticated
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, application_id: int) -> HttpResponse:
    """Score each criterion of an application with a comment, or declare a conflict of interest."""
    application = application_for(request, application_id)
    call = application.call
    if not _may_read(request.user, application):
        return forbidden(request, NOT_YOURS)
    assessor = services.is_assessor(call, request.user)
    conflicted = assessor and services.has_conflict(application, request.user)
    criteria = call.criteria.all()
    mine = {
        s.criterion_id: (s.value, s.comment)
        for s in Score.objects.filter(application=application, assessor=request.user)
    }
    form = ScoreForm(request.POST or None, criteria=criteria, scale_max=call.scale_max, initial_scores=mine)
    conflict_form = ConflictForm(request.POST if request.POST.get("step") == "conflict" else None)
    act = via(request, "programmes:score")
    if request.method == "POST":
        if not assessor:
            return forbidden(request, NOT_ASSESSOR)
        if request.POST.get("step") == "conflict":
            if conflict_form.is_valid():
                services.conflict_declare(
                    application=application, assessor=request.user, reason=conflict_form.cleaned_data["reason"], via=act
                )
                messages.success(request, _("Jävet är registrerat. Du bedömer inte den här ansökan."))
                return redirect("programmes:assess", call_id=call.pk)
        elif form.is_valid() and _save_scores(form, application, request.user, act):
            messages.success(request, _("Bedömningen är sparad."))
            return redirect("programmes:assess", call_id=call.pk)
    context = {
        "application": application,
        "call": call,
        "attachments": application.attachments.all(),
        "form": form,
        "conflict_form": conflict_form,
        "assessor": assessor,
        "conflicted": conflicted,
    }
    has_errors = form.errors if request.POST.get("step") != "conflict" else conflict_form.errors
    return render(
        request, "programmes/score.html", context, status=400 if request.method == "POST" and has_errors else 200
    )


@authenticated
@require_http_methods(["GET", "POST"])
def ranking(request: HttpRequest, call_id: int) -> HttpResponse:
    """Rank the call's applications (managers and administrators), decide, and name the assessors."""
    call = call_for(request, call_id)
    if not selectors.may_run(request.user, call.programme):
        return forbidden(request, RUNNERS_ONLY)
    municipality_staff = User.objects.filter(
        memberships__in=Membership.objects.filter(
            current(policy.today()), unit__authority__municipality=call.programme.municipality_id
        )
    ).distinct()
    error = None
    if request.method == "POST":
        assessor = municipality_staff.filter(pk=request.POST.get("assessor") or 0).first()
        if assessor is None:
            error = _("Välj en person i kommunen som bedömare.")
        else:
            services.assessor_add(call=call, assessor=assessor, via=via(request, "programmes:ranking"))
            messages.success(request, _("Bedömaren är tillagd."))
            return redirect("programmes:ranking", call_id=call.pk)
    context = {
        "call": call,
        "rows": selectors.ranking(call),
        "max_total": selectors.max_total(call),
        "assessors": call.assessors.order_by("first_name", "last_name"),
        "candidates": municipality_staff.exclude(pk__in=call.assessors.all()).order_by("first_name", "last_name"),
        "error": error,
    }
    return render(request, "programmes/ranking.html", context, status=400 if error else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, application_id: int) -> HttpResponse:
    """Decide an application: award with an amount and a written motivation, or decline."""
    application = application_for(request, application_id)
    if not selectors.may_run(request.user, application.call.programme):
        return forbidden(request, RUNNERS_ONLY)
    form = DecisionForm(request.POST or None, initial={"amount": application.amount_requested})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_make(
                application=application,
                awarded=data["awarded"],
                amount=data["amount"] or 0,
                motivation=data["motivation"],
                decided_by=request.user,
                via=via(request, "programmes:decide"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Beslutet är sparat."))
            return redirect("programmes:ranking", call_id=application.call_id)
    context = {"application": application, "call": application.call, "form": form}
    return render(request, "programmes/decide.html", context, status=400 if form.errors else 200)


@public
@require_safe
def awarded(request: HttpRequest) -> HttpResponse:
    """Show the awarded ideas whose applicants agreed, with the motivation and what others can learn."""
    return render(request, "programmes/awarded.html", {"decisions": selectors.awarded_public()})


def _follow_up_page(request: HttpRequest, follow_up: FollowUp, act: services.Via, back: str) -> HttpResponse:
    form = FollowUpForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_file(follow_up=follow_up, via=act, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tack! Uppföljningen är inlämnad."))
            return redirect(back)
    context = {"follow_up": follow_up, "application": follow_up.application, "form": form, "back": back}
    return render(request, "programmes/follow_up_form.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, application_id: int) -> HttpResponse:
    application = application_for(request, application_id)
    report = FollowUp.objects.filter(application=application, submitted_at__isnull=True).first()
    if application.created_by_id != request.user.pk or report is None:
        raise Http404
    back = reverse("programmes:application", args=[application.pk])
    return _follow_up_page(request, report, via(request, "programmes:follow_up"), back)


@public
@require_http_methods(["GET", "POST"])
def follow_up_link(request: HttpRequest, token: str) -> HttpResponse:
    application = services.application_for_token(token)
    report = (
        FollowUp.objects.filter(application=application, submitted_at__isnull=True).first() if application else None
    )
    if report is None:
        raise Http404
    act = services.Via(actor=services.link_actor(application), surface="page", target="programmes:follow_up_link")
    return _follow_up_page(request, report, act, reverse("programmes:application_link", args=[token]))
