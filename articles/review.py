"""待复核: what needs an editor's attention, most urgent first.

Each kind of problem is one bounded query (at most ``LIMIT`` rows, with a total count), so the
queue costs the same however large the library grows: open reader reports, broken source links,
cases whose last check is older than ``KB_REVIEW_DAYS``, outcome notes dated before the case's
last check, key figures whose "as of" date is over a year old, and sources never checked.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import models as m

LIMIT = 50  # rows shown per kind of problem; the count says how many there are
AS_OF = re.compile(r"截至\s*(\d{4})(?:[-年./](\d{1,2}))?")


@dataclass
class Item:
    rank: int  # the kind of problem: reports first, then broken links, stale cases …
    age: int  # days: within a kind, the oldest first
    problem: str
    title: str
    detail: str
    url: str  # the admin change form that fixes it
    case_id: int | None = None  # a case the "verified today" action may mark


@dataclass
class Section:
    problem: str
    total: int


def _case_url(case_id):
    return reverse("admin:articles_casestudy_change", args=[case_id])


def queue(today=None):
    """(items most urgent first, sections with their totals)."""
    today = today or timezone.localdate()
    items, sections = [], []

    reports = m.ReaderReport.objects.filter(status=m.ReaderReport.Status.NEW).select_related("content_type")
    sections.append(Section(str(_("Open reader reports")), reports.count()))
    for report in reports.order_by("created")[:LIMIT]:
        age = (today - timezone.localtime(report.created).date()).days
        items.append(
            Item(
                1,
                age,
                str(_("Open reader report")),
                report.get_kind_display(),
                report.message[:120],
                reverse("admin:articles_readerreport_change", args=[report.pk]),
            )
        )

    broken = m.Source.objects.exclude(checked_at=None).filter(Q(check_status=None) | Q(check_status__gte=400))
    sections.append(Section(str(_("Broken source links")), broken.count()))
    for source in broken.select_related("case").order_by("case__title", "position")[:LIMIT]:
        reason = source.check_status or source.check_error
        items.append(
            Item(
                2,
                0,
                str(_("Broken source link")),
                source.case.title,
                f"[{source.position}] {source.url} ({reason})",
                _case_url(source.case_id),
                source.case_id,
            )
        )

    cutoff = today - datetime.timedelta(days=settings.KB_REVIEW_DAYS)
    stale = m.CaseStudy.objects.real().filter(Q(last_verified__lt=cutoff) | Q(last_verified=None))
    sections.append(
        Section(
            str(_("Cases not checked within %(days)s days") % {"days": settings.KB_REVIEW_DAYS}),
            stale.count(),
        )
    )
    for case in stale.order_by("last_verified", "title").only("pk", "title", "last_verified")[:LIMIT]:
        overdue = (cutoff - case.last_verified).days if case.last_verified else settings.KB_REVIEW_DAYS
        last = case.last_verified.isoformat() if case.last_verified else str(_("never"))
        items.append(
            Item(
                3,
                overdue,
                str(_("Last check too old")),
                case.title,
                str(_("last checked %(date)s") % {"date": last}),
                _case_url(case.pk),
                case.pk,
            )
        )

    outdated = []
    checked = m.CaseStudy.objects.real().exclude(last_verified=None).filter(outcome_note__contains="截至")
    for case in checked.order_by("-last_verified").only("pk", "title", "outcome_note", "last_verified")[
        : LIMIT * 20
    ]:
        found = AS_OF.search(case.outcome_note)
        if found:
            stated = found.group(1) + (f"-{int(found.group(2)):02d}" if found.group(2) else "")
            if stated < case.last_verified.isoformat()[: len(stated)]:
                outdated.append((case, stated))
    sections.append(Section(str(_("Outcome notes dated before the last check")), len(outdated)))
    for case, stated in outdated[:LIMIT]:
        items.append(
            Item(
                4,
                0,
                str(_("Outcome older than the last check")),
                case.title,
                str(_("the outcome says “as of %(stated)s”, the case was checked %(checked)s"))
                % {"stated": stated, "checked": case.last_verified.isoformat()},
                _case_url(case.pk),
                case.pk,
            )
        )

    old = (today - datetime.timedelta(days=settings.KB_FIGURE_MAX_AGE_DAYS)).isoformat()[:7]
    figures = (
        m.KeyFigure.objects.filter(case__in=m.CaseStudy.objects.real())
        .exclude(as_of="")
        .filter(as_of__lt=old)
    )
    sections.append(Section(str(_("Key figures over a year old")), figures.count()))
    for figure in figures.select_related("case").order_by("as_of", "case__title")[:LIMIT]:
        items.append(
            Item(
                5,
                0,
                str(_("Key figure over a year old")),
                figure.case.title,
                f"{figure.label}: {figure.value} ({figure.as_of})",
                _case_url(figure.case_id),
                figure.case_id,
            )
        )

    unchecked = (
        m.CaseStudy.objects.real()
        .annotate(unchecked=Count("sources", filter=Q(sources__checked_at=None)))
        .filter(unchecked__gt=0)
    )
    sections.append(Section(str(_("Cases with sources never checked")), unchecked.count()))
    for case in unchecked.order_by("-unchecked", "title").only("pk", "title")[:LIMIT]:
        items.append(
            Item(
                6,
                0,
                str(_("Sources never checked")),
                case.title,
                str(_("%(count)s sources; run manage.py check_sources") % {"count": case.unchecked}),
                _case_url(case.pk),
                case.pk,
            )
        )
    items.sort(key=lambda item: (item.rank, -item.age))
    return items, sections
