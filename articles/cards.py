"""Case cards, rendered once per content version, language and release and reused on every list.

A list page reads its page of cases without their tags and factors, asks the cache for the cards
of all of them at once, and fetches and renders only the cards it does not find. An edit bumps the
content version, so no card outlives it; a deploy changes the release.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from . import models as m
from .pagecache import RELEASE, current_version

CARD_TEMPLATE = "articles/_case_card.html"
CARD_TIMEOUT = 86400  # seconds; a new content version or release asks for new keys long before


def card_key(version, language, pk):
    return f"card:{RELEASE}:{version}:{language}:{pk}"


def attach_cards(request, cases):
    """Set ``card_html`` on each of ``cases`` (model instances of one page), from the cache or rendered."""
    if not cases:
        return
    version = getattr(request, "content_version", None) or current_version()[0]
    language = translation.get_language() or settings.LANGUAGE_CODE
    keys = {case.pk: card_key(version, language, case.pk) for case in cases}
    found = cache.get_many(list(keys.values()))
    missing = [case for case in cases if keys[case.pk] not in found]
    if missing:
        prefetch_related_objects(missing, "tags", m.CaseStudyQuerySet.factors_prefetch())
        template = get_template(CARD_TEMPLATE)
        record_lang = "" if language == "zh-hans" else mark_safe(' lang="zh-Hans"')  # as base.html sets it
        rendered = {
            keys[case.pk]: template.render({"item": case, "record_lang": record_lang}) for case in missing
        }
        cache.set_many(rendered, CARD_TIMEOUT)
        found.update(rendered)
    for case in cases:
        case.card_html = found[keys[case.pk]]
