"""The timeline's milestone lines, built here rather than per milestone in a template loop.

The whole timeline shows up to twelve milestones a year over every year with one (a year's
own page fifty); each line is a handful of values, and the template language's per-value
cost made the lines most of the page's time. ``timeline.html`` describes the markup.
"""

from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext


def milestone_lines(milestones):
    """``<li>`` per milestone: date, kind, the case (linked), what happened, its source number."""
    record_lang = "" if translation.get_language() == "zh-hans" else mark_safe(' lang="zh-Hans"')
    separator = pgettext("label separator", ": ")
    rows = []
    for milestone in milestones:
        case_url = milestone.case.get_absolute_url()
        title = (
            format_html("<span{}>{}</span>", record_lang, milestone.title) if record_lang else milestone.title
        )
        source = ""
        if milestone.source:
            source = format_html(
                '<sup><a href="{}#source-{}" aria-label="{}">[{}]</a></sup>',
                case_url,
                milestone.source,
                gettext("source %(number)s") % {"number": milestone.source},
                milestone.source,
            )
        rows.append(
            (
                milestone.date,
                milestone.date,
                milestone.get_kind_display(),
                case_url,
                record_lang,
                milestone.case.organisation,
                separator,
                title,
                source,
            )
        )
    return format_html_join(
        "\n",
        '<li><time datetime="{}">{}</time> <span class="milestone-kind">{}</span> '
        '<a href="{}"{}>{}</a>{}{}{}</li>',
        rows,
    )
