"""Registration by hand: a registrar registers and corrects children, guardians, custody, enrolments, and merges."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import child_data
from core.personnummer import parse
from people.models import Child, Enrolment, Guardianship, IdentityKind
from registration import selectors, services
from registration.forms import ChildForm, EndForm, EnrolmentForm, GuardianForm, MergeForm
from registration.models import ChildMerge
from sharing import policy
from sharing.display import Display, display_for, listed_among

PER_PAGE = 25
SURFACE = "page"
FORBIDDEN = _("Bara registratorer i kommunen kan registrera barn. Kontakta kommunens registrator om något är fel.")


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/forbidden.html", {"message": FORBIDDEN}, status=403)


def _via(request: HttpRequest) -> services.Via:
    actor = policy.page_actor(request)
    name = request.user.get_full_name() or request.user.get_username()
    return services.Via(actor=actor, name=f"{name}, {actor.authority_name}" if actor.authority_name else name)


def _load(request: HttpRequest, child_id: UUID, *, target: str, action: str = "read") -> policy.RegistrationAccess:
    return policy.registration_access(
        request.user, child_id, actor=policy.page_actor(request), surface=SURFACE, target=target, action=action
    )


@dataclass(frozen=True)
class EnrolmentRow:
    """An enrolment as the page shows it: the unit's name and its source note, or None where masked."""

    enrolment: Enrolment
    unit: str | None
    note: str | None


@dataclass(frozen=True)
class GuardianRow:
    """A guardian relation as the page shows it: its source note, or None where masked."""

    guardianship: Guardianship
    note: str | None


@dataclass(frozen=True)
class MergeRow:
    """An earlier merge into the child as the page shows it: who merged, or None where masked."""

    merge: ChildMerge
    by: str | None


@dataclass(frozen=True)
class DuplicateRow:
    """A possible duplicate in a list: its name ("Family, Given"), or None (the marker) where masked."""

    child: Child
    name: str | None


def _enrolment_rows(display: Display, enrolments) -> list[EnrolmentRow]:
    return [
        EnrolmentRow(e, display.unit(e.unit_id, e.unit.name), display.source_note(e.source_note)) for e in enrolments
    ]


def _duplicate_rows(request: HttpRequest, children: list[Child]) -> list[DuplicateRow]:
    """Name the possible duplicates as any list does: a protected child only to those with a need (the marker)."""
    listed = listed_among(request.user, children, on=policy.today())
    return [DuplicateRow(child, listed[child.pk].name) for child in children]


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@child_data
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """List the municipality's children for the registrar, searchable by name, a page at a time."""
    if not policy.may_register(request.user):
        return _forbidden(request)
    search = request.GET.get("q", "").strip()[:100]
    children = policy.registrable_children(request.user).order_by("family_name", "given_name", "pk")
    if search:
        # A protected child is never matched by name (DOMAIN.md B5: excluded from identifiable listings).
        words = Q(given_name__icontains=search) | Q(family_name__icontains=search)
        children = children.filter(words, protection="none")
    page = Paginator(children, PER_PAGE).get_page(request.GET.get("sida"))
    actor = policy.page_actor(request)
    for child in page:
        audit.record(
            actor=actor,
            action="read",
            surface=SURFACE,
            target="registration:home",
            basis=policy.Basis.REGISTRATION,
            child_id=child.pk,
            record_type="Child",
            record_id=str(child.pk),
        )
    context = {"page": page, "search": search, "query": urlencode({"q": search}) if search else ""}
    return render(request, "registration/home.html", context)


@child_data
@require_http_methods(["GET", "POST"])
def child_new(request: HttpRequest) -> HttpResponse:
    """Register a child; possible duplicates are shown before anything is saved."""
    municipalities = policy.registration_municipalities(request.user).order_by("name")
    municipality = municipalities.first()
    if municipality is None:
        return _forbidden(request)
    form = ChildForm(request.POST if request.method == "POST" else None, municipalities=municipalities)
    choosing = "municipality" in form.fields  # a registrar of several municipalities chooses; the others have one
    duplicates, taken_elsewhere, same_number = [], False, False
    if form.is_valid():
        data = form.cleaned_data
        if choosing:
            municipality = data["municipality"]  # one of the registrar's own: the field's choices are those
        duplicates, taken_elsewhere = policy.registration_duplicates(
            request.user,
            number=data["number"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=form.birth_date_value(),
            actor=policy.page_actor(request),
            surface=SURFACE,
            target="registration:child_new",
        )
        same_number = any(child.identity_number == data["number"] for child in duplicates)
        if taken_elsewhere:
            form.add_error("number", _("Numret är redan registrerat i en annan kommun. Kontakta den kommunen."))
        elif same_number:
            form.add_error("number", _("Ett barn med det numret finns redan. Öppna det och rätta i stället."))
        elif duplicates and not data["not_duplicate"]:
            form.add_error("not_duplicate", _("Det finns barn med samma namn och födelsedatum. Kontrollera dem först."))
        else:
            try:
                child = services.child_register(
                    municipality=municipality,
                    number=data["number"],
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    birth_date=data["birth_date"],
                    protection=data["protection"],
                    via=_via(request),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("registration:child", child_id=child.pk)
    else:
        policy.may_register(request.user)  # the form alone reads no child; the policy still decided the page
    context = {
        "form": form,
        "duplicates": _duplicate_rows(request, duplicates),
        "municipality": None if choosing else municipality,
        "same_number": same_number,
    }
    return render(request, "registration/child_form.html", context, status=400 if form.errors else 200)


@child_data
@require_safe
def child(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show a child's registration facts, each with its source, and what the registrar can do next."""
    access = _load(request, child_id, target="registration:child")
    child = access.child
    on = policy.today()
    guardianships = selectors.guardianships_for(access)
    enrolments = selectors.enrolments_for(access)
    possible = (
        policy.registrable_children(request.user)
        .filter(given_name__iexact=child.given_name, family_name__iexact=child.family_name, birth_date=child.birth_date)
        .exclude(pk=child.pk)
    )
    merges = ChildMerge.objects.filter(kept_child_id=child.pk)
    # Protected identity: the units and who recorded the facts only as the one display decision allows.
    display = display_for(access)
    context = {
        "child": child,
        "number": parse(child.identity_number).formatted(),
        "source_note": display.source_note(child.source_note),
        "guardianships": [GuardianRow(g, display.source_note(g.source_note)) for g in guardianships],
        "enrolments": _enrolment_rows(display, enrolments),
        "custody_ends": policy.majority_day(child.birth_date),
        "on": on,
        "possible_duplicates": _duplicate_rows(request, list(possible[:10])),
        "merges": [MergeRow(m, display.staff(m.merged_by_id, m.merged_by_name)) for m in merges],
        "is_reserve": child.identity_kind == IdentityKind.RESERVE,
    }
    return render(request, "registration/child.html", context)


@child_data
@require_http_methods(["GET", "POST"])
def child_edit(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Correct a child's number, name, birth date or protection marking."""
    child = _load(request, child_id, target="registration:child_edit").child
    initial = {
        "given_name": child.given_name,
        "family_name": child.family_name,
        "protection": child.protection,
        "birth_date": child.birth_date if child.identity_kind == IdentityKind.RESERVE else None,
    }
    form = ChildForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["number"].help_text = _("Skriv numret igen, även om det inte ändras. Det visas inte i sidan.")
    duplicates = []
    if form.is_valid():
        data = form.cleaned_data
        duplicates, taken_elsewhere = policy.registration_duplicates(
            request.user,
            number=data["number"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            birth_date=form.birth_date_value(),
            actor=policy.page_actor(request),
            surface=SURFACE,
            target="registration:child_edit",
            exclude=child.pk,
        )
        if taken_elsewhere or any(other.identity_number == data["number"] for other in duplicates):
            form.add_error("number", _("Ett annat barn har redan det numret. Slå ihop barnen i stället."))
        elif duplicates and not data["not_duplicate"]:
            form.add_error("not_duplicate", _("Det finns barn med samma namn och födelsedatum. Kontrollera dem först."))
        else:
            try:
                services.child_correct(
                    child=child,
                    number=data["number"],
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    birth_date=data["birth_date"],
                    protection=data["protection"],
                    via=_via(request),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("registration:child", child_id=child.pk)
    context = {"form": form, "duplicates": _duplicate_rows(request, duplicates), "child": child, "editing": True}
    return render(request, "registration/child_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def guardian_add(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Record a guardian or parent of the child, with custody and its dates."""
    child = _load(request, child_id, target="registration:guardian_add").child
    form = GuardianForm(request.POST if request.method == "POST" else None, initial={"valid_from": child.birth_date})
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.guardian_add(child=child, via=_via(request), **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("registration:child", child_id=child.pk)
    context = {"form": form, "child": child, "custody_ends": policy.majority_day(child.birth_date)}
    return render(request, "registration/guardian_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def enrolment_add(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Enrol the child at a unit of the municipality, or place it at a preschool."""
    child = _load(request, child_id, target="registration:enrolment_add").child
    units = policy.registration_units(request.user)
    form = EnrolmentForm(request.POST if request.method == "POST" else None, units=units)
    if form.is_valid():
        try:
            services.enrolment_add(child=child, via=_via(request), **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("registration:child", child_id=child.pk)
    context = {"form": form, "child": child}
    return render(request, "registration/enrolment_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def guardianship_end(request: HttpRequest, child_id: UUID, guardianship_id: int) -> HttpResponse:
    """End a guardian relation on a day, after confirmation."""
    access = _load(request, child_id, target="registration:guardianship_end")
    child = access.child
    guardianship = selectors.guardianship_for(access, guardianship_id)
    if guardianship is None:
        raise Http404
    form = EndForm(request.POST if request.method == "POST" else None, initial={"end": policy.today()})
    if form.is_valid():
        try:
            services.guardianship_end(guardianship=guardianship, valid_to=form.cleaned_data["end"], via=_via(request))
        except ValidationError as exc:
            form.add_error("end", exc.error_dict.get("valid_to", exc.messages) if hasattr(exc, "error_dict") else exc)
        else:
            return redirect("registration:child", child_id=child.pk)
    context = {"form": form, "child": child, "what": guardianship.guardian, "heading": _("Avsluta relationen")}
    return render(request, "registration/end_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def enrolment_end(request: HttpRequest, child_id: UUID, enrolment_id: int) -> HttpResponse:
    """End an enrolment or placement on a day, after confirmation."""
    access = _load(request, child_id, target="registration:enrolment_end")
    child = access.child
    enrolment = selectors.enrolment_for(access, enrolment_id)
    if enrolment is None:
        raise Http404
    form = EndForm(request.POST if request.method == "POST" else None, initial={"end": policy.today()})
    if form.is_valid():
        try:
            services.enrolment_end(enrolment=enrolment, end=form.cleaned_data["end"], via=_via(request))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("registration:child", child_id=child.pk)
    unit = display_for(access).unit(enrolment.unit_id, enrolment.unit.name)  # None: the marker
    context = {"form": form, "child": child, "what": unit, "heading": _("Avsluta inskrivningen")}
    return render(request, "registration/end_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, child_id: UUID, duplicate_id: UUID) -> HttpResponse:
    """Merge a duplicate into the child: show what moves, ask for a reason and a confirmation, then merge."""
    access = _load(request, child_id, target="registration:merge", action="read")
    child = access.child
    duplicate_access = _load(request, duplicate_id, target="registration:merge", action="read")
    duplicate = duplicate_access.child
    if child.pk == duplicate.pk:
        raise Http404
    form = MergeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.child_merge(kept=child, duplicate=duplicate, reason=form.cleaned_data["reason"], via=_via(request))
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return redirect("registration:child", child_id=child.pk)
    # The enrolments moving to the kept child locate it once merged: masked if either child's display masks them.
    display = next((d for d in (display_for(access), display_for(duplicate_access)) if d.masks), display_for(access))
    context = {
        "form": form,
        "child": child,
        "duplicate": duplicate,
        "moving_guardianships": selectors.moving_guardianships(duplicate_access),
        "moving_enrolments": _enrolment_rows(display, selectors.moving_enrolments(duplicate_access)),
        "blockers": services.merge_blockers(duplicate),
    }
    return render(request, "registration/merge.html", context, status=400 if form.errors else 200)
