"""Readers' reports: a form on its own page (the only reader page that sets a CSRF cookie, so the
cached pages stay cookie-free) and a thank-you page that says what happens next."""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from .. import models as m
from ..pagecache import cached_page
from ..reports import ReportForm, rate_limited, record_for
from ..security import client_ip
from .base import read_only
from .errors import error_page


@never_cache
def report(request):
    """报告错误 / 推荐公司: ``?about=case/<slug>`` names the page the report is about."""
    about = request.GET.get("about", "")[:200]
    record = record_for(about)
    initial_kind = m.ReaderReport.Kind.ERROR if record else m.ReaderReport.Kind.SUGGESTION
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_spam():
            return error_page(
                request, 400, _("Report not accepted"), _("The form was not filled in by a person.")
            )
        if rate_limited(client_ip(request)):
            return error_page(
                request,
                429,
                _("Too many reports"),
                _("This address has sent many reports in the last hour. Please try again later."),
                headers={"Retry-After": "3600"},
            )
        if form.is_valid():
            data = form.cleaned_data
            m.ReaderReport.objects.create(
                kind=data["kind"],
                content_type=ContentType.objects.get_for_model(record) if record else None,
                object_id=record.pk if record else None,
                message=data["message"],
                source_url=data["source_url"],
                contact=data["contact"],
            )
            return redirect(reverse("articles:report-thanks"))
    else:
        form = ReportForm(initial={"kind": initial_kind})
    context = {
        "page_title": _("Report an error or suggest a company"),
        "breadcrumbs": [],
        "form": form,
        "record": record,
        "about": about if record else "",
    }
    return render(request, "articles/report.html", context, status=400 if form.is_bound else 200)


report.allowed_methods = ("GET", "HEAD", "POST")  # others get 405 before the CSRF check


@cached_page()
@read_only
def report_thanks(request):
    context = {"page_title": _("Thank you"), "breadcrumbs": []}
    return render(request, "articles/report_thanks.html", context)
