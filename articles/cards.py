"""Case cards, rendered once per content version, language and release and reused on every list.

A list page reads its page of cases (the card's columns only), asks the cache for the cards of
all of them at once, and builds only the cards it does not find: their factors and tags come
from one query each, and the markup is put together here (a crawler walking the facet
combinations meets mostly cards no list has shown yet, and a template per card cost more than
the rest of the page). An edit bumps the content version, so no card outlives it; a deploy
changes the release.

The card: the case's title (linked), its outcome badge, founding year and region, organisation
and product, summary (160 characters), success factors and tags.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from . import models as m
from .links import url_builder
from .markup import html, join
from .pagecache import RELEASE, current_version
from .tagging import tag_list, tags_by_record

CARD_TIMEOUT = 86400  # seconds; a new content version or release asks for new keys long before
# What a list page reads of each case: the card's columns (the rest of a case is its page's).
CARD_FIELDS = (
    "slug",
    "title",
    "summary",
    "organisation",
    "product",
    "founded_year",
    "region",
    "outcome",
    "outcome_date",
    "position",
)


def card_key(version, language, pk):
    return f"card:{RELEASE}:{version}:{language}:{pk}"


def record_lang_attribute():
    """`` lang="zh-Hans"`` on pages in other languages, as base.html sets ``record_lang``."""
    return "" if translation.get_language() == "zh-hans" else mark_safe(' lang="zh-Hans"')


def outcome_badge(case):
    """A case's outcome as a badge, with its date (the ``outcome`` template tag)."""
    when = (
        html(' · <time datetime="{}">{}</time>', case.outcome_date, case.outcome_date)
        if case.outcome_date
        else ""
    )
    return html(
        '<span class="outcome outcome-{}">{}{}</span>', case.outcome, case.get_outcome_display(), when
    )


def factor_titles(cases):
    """{case id: [factor title, …]} in the case's order, in one query."""
    titles = {case.pk: [] for case in cases}
    rows = (
        m.CaseFactor.objects.filter(case__in=list(titles))
        .order_by("position")
        .values_list("case_id", "factor__title")
    )
    for case_id, title in rows:
        titles[case_id].append(title)
    return titles


def build_cards(cases):
    """{case id: card HTML} for ``cases`` in the current language."""
    record_lang = record_lang_attribute()
    case_url = url_builder("articles:case-detail", "slug")
    factors = factor_titles(cases)
    tags = tags_by_record(cases)
    factors_label = gettext("Success factors")
    cards = {}
    for case in cases:
        meta = [outcome_badge(case)]
        if case.founded_year:
            meta.append(
                html(
                    ' <span class="muted">{}</span>',
                    gettext("founded %(year)s") % {"year": case.founded_year},
                )
            )
        if case.region:
            meta.append(html(' <span class="muted">{}</span>', case.get_region_display()))
        maker = html("{} · {}", case.organisation, case.product) if case.product else case.organisation
        factor_items = join(html("<li{}>{}</li>", record_lang, title) for title in factors[case.pk])
        cards[case.pk] = html(
            '\n        <h3{}><a href="{}">{}</a></h3>\n'
            '        <p class="case-meta">{}</p>\n'
            '        <p class="muted"{}>{}</p>\n'
            "        <p{}>{}</p>\n"
            '        <ul class="factor-list" aria-label="{}">\n          {}\n        </ul>\n        {}',
            record_lang,
            case_url(slug=case.slug),
            case.title,
            join(meta, separator=""),
            record_lang,
            maker,
            record_lang,
            Truncator(case.summary).chars(160),
            factors_label,
            factor_items,
            tag_list(tags[case], record_lang),
        )
    return cards


def attach_cards(request, cases):
    """Set ``card_html`` on each of ``cases`` (model instances of one page), from the cache or built."""
    if not cases:
        return
    version = getattr(request, "content_version", None) or current_version()[0]
    language = translation.get_language() or settings.LANGUAGE_CODE
    keys = {case.pk: card_key(version, language, case.pk) for case in cases}
    found = cache.get_many(list(keys.values()))
    missing = [case for case in cases if keys[case.pk] not in found]
    if missing:
        built = {keys[pk]: card for pk, card in build_cards(missing).items()}
        cache.set_many(built, CARD_TIMEOUT)
        found.update(built)
    for case in cases:
        case.card_html = mark_safe(found[keys[case.pk]])  # noqa: S308 - built by markup.html, every value escaped
