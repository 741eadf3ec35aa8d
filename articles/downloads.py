"""The case list as a spreadsheet (CSV) and the knowledge base as JSON downloads.

CSV is written for spreadsheet programs: UTF-8 with a byte-order mark (so Excel reads the
Chinese text), one row per case, lists joined with "、", labels in the page's language.
A cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) gets a leading apostrophe, the OWASP advice against CSV injection.

JSON downloads are bundles that ``load_kb`` reads (:func:`articles.kb_io.export_bundle`).
"""

import csv
import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .kb_io import chosen
from .kinds import KINDS_BY_KEY

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value):
    """A cell value that no spreadsheet program runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def join(values):
    return "、".join(values)


def case_columns(site_url):
    """(header, value of a case) of each CSV column."""
    return [
        ("slug", lambda case: case.slug),
        (_("Title"), lambda case: case.title),
        (_("Organisation"), lambda case: case.organisation),
        (_("Product or model"), lambda case: case.product),
        (_("Founded"), lambda case: case.founded),
        (_("Headquarters"), lambda case: case.headquarters),
        (_("Founders"), lambda case: case.founders),
        (_("Region"), lambda case: case.get_region_display()),
        (_("Layer"), lambda case: case.get_layer_display()),
        (_("Access"), lambda case: case.get_access_display()),
        (_("Outcome"), lambda case: case.get_outcome_display()),
        (_("Outcome date"), lambda case: case.outcome_date),
        (_("What happened"), lambda case: case.outcome_note),
        (_("Success factors"), lambda case: join(row.factor.title for row in case.case_factors.all())),
        (
            _("Challenges faced"),
            lambda case: join(dict.fromkeys(x.challenge.title for x in case.lessons.all() if x.challenge)),
        ),
        (_("Tags"), lambda case: join(sorted(tag.name for tag in case.tags.all()))),
        (_("Sources"), lambda case: len(case.sources.all())),
        (_("Last verified"), lambda case: case.last_verified.isoformat() if case.last_verified else ""),
        (_("Updated"), lambda case: timezone.localdate(case.updated).isoformat()),
        ("URL", lambda case: site_url + case.get_absolute_url()),
    ]


class _Echo:
    def write(self, value):
        return value


def case_rows(ids, site_url):
    """The CSV lines (BOM and header first) of the cases with ``ids``, in that order."""
    columns = case_columns(site_url)
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([header for header, _value in columns])
    for case in chosen(KINDS_BY_KEY["cases"], ids):
        yield writer.writerow([neutralise(value(case)) for _header, value in columns])


def csv_response(lines, filename):
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def json_response(data, filename):
    response = StreamingHttpResponse(
        json.JSONEncoder(ensure_ascii=False, indent=1).iterencode(data), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
