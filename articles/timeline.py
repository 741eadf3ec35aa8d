"""The timeline's milestone lines, built here rather than per milestone in a template loop.

The whole timeline shows up to twelve milestones a year over every year with one (a year's
own page fifty); each line is a handful of values, and the template language's per-value
cost made the lines most of the page's time. ``timeline.html`` describes the markup.
"""

from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext

from .links import url_builder
from .markup import html, join
from .models import Milestone
from .rendering import citation_link


def row_year(row):
    """A timeline row's year, or None if its date is not one (the admin and load_kb never let that in)."""
    return int(row.date[:4]) if row.date[:4].isdigit() else None


def milestone_lines(rows):
    """``<li>`` per milestone row (``MilestoneQuerySet.timeline_rows``): date, kind, the case
    (linked), what happened, its source number."""
    record_lang = "" if translation.get_language() == "zh-hans" else mark_safe(' lang="zh-Hans"')
    separator = pgettext("label separator", ": ")
    kinds = {value: str(label) for value, label in Milestone.Kind.choices}
    case_url_for = url_builder("articles:case-detail", "slug")
    lines = []
    for milestone in rows:
        case_url = case_url_for(slug=milestone.case__slug)
        title = html("<span{}>{}</span>", record_lang, milestone.title) if record_lang else milestone.title
        lines.append(
            html(
                '<li><time datetime="{}">{}</time> <span class="milestone-kind">{}</span> '
                '<a href="{}"{}>{}</a>{}{}{}</li>',
                milestone.date,
                milestone.date,
                kinds.get(milestone.kind, milestone.kind),
                case_url,
                record_lang,
                milestone.case__organisation,
                separator,
                title,
                citation_link(milestone.source, case_url),
            )
        )
    return join(lines)
