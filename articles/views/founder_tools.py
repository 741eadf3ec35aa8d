"""The founder tools: the self-check, the side-by-side comparison, the charts and the case timeline.

The ranking, gaps and setbacks are worked out in :mod:`articles.founder`, the charts'
geometry in :mod:`articles.charts`; these views read the few records they show.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View

from .. import charts, founder
from .. import models as m
from ..facets import build_url
from ..founder import (
    ADD_CHOICES_MAX,
    COMPARE_MAX,
    COMPARE_MIN,
    Profile,
    comparison_rows,
    factor_gaps,
    setbacks,
    similar_cases,
)
from ..kinds import KINDS_BY_KEY
from ..listings import CASES, case_index, real_cases
from ..pagecache import cached_page
from ..params import MAX_VALUES, CompareForm, QueryForm, SelfCheckForm, quoted
from ..search import matching
from .base import SafeMethodsMixin, render_page
from .lists import FacetSearchMixin


class SelfCheckView(SafeMethodsMixin, View):
    """创业自测: a founder's profile (GET, so the result is a link) against the case library.

    The ranking, the factor gaps and the setbacks are worked out in ``articles.founder``.
    Nothing about the founder is kept: the result is never stored in the page cache and
    is sent with ``Cache-Control: private, no-store``.
    """

    page_cache = cached_page()  # the empty form; a founder's answers are never stored

    def get(self, request):
        index = case_index(request)
        form = SelfCheckForm(request.GET, index.options["factor"], index.options["challenge"])
        context = {
            "page_title": _("Self-check"),
            "page_intro": _(
                "Describe your venture. The knowledge base finds the real cases most like it, the success "
                "factors they had that you did not tick, what went wrong for the similar ones, and the "
                "strategies for the challenges you expect."
            ),
            "breadcrumbs": [],
            "form": form,
            "notices": form.notices(),
            "weights": founder.WEIGHTS,
        }
        if form.is_bound and form.is_valid():
            profile = Profile.from_form(form)
            matches = similar_cases(index, profile)
            real = real_cases(index)
            if not index.bits["layer"].get(profile.layer, 0) & real:
                context["notices"].append(
                    _(
                        "No real case in the knowledge base is at the layer “%(layer)s” yet; "
                        "the matches below share only your other answers."
                    )
                    % {"layer": dict(form.fields["layer"].choices)[profile.layer]}
                )
            context.update(
                {
                    "profile": profile,
                    "matches": matches,
                    "gaps": factor_gaps(matches, profile),
                    "setbacks": setbacks(matches),
                    "challenges": list(m.Challenge.objects.filter(slug__in=profile.challenges).for_detail()),
                    "share_url": request.build_absolute_uri(),
                    "answers": form.answers(),
                    "sector_label": dict(form.fields["sector"].choices).get(profile.sector, ""),
                    "customer_label": dict(form.fields["customer"].choices).get(profile.customer, ""),
                }
            )
        response = render_page(request, "articles/self_check.html", context)
        if form.is_bound:
            response["Cache-Control"] = "private, no-store"
        return response


class CompareView(SafeMethodsMixin, View):
    """案例对比: two to four cases side by side (``/compare/?c=a&c=b``).

    ``diff=1`` keeps only the rows where the cases differ.
    """

    labels = {
        "organisation": _("Organisation"),
        "founded": _("Founded"),
        "headquarters": _("Headquarters"),
        "founders": _("Founders"),
        "layer": _("Layer"),
        "access": _("Access"),
        "sectors": _("Sector"),
        "customers": _("Customers"),
        "outcome": _("Outcome"),
        "flagship": _("Flagship product"),
        "figures": _("Key figures"),
        "sources": _("Sources"),
    }

    page_cache = cached_page()  # the empty comparison; a chosen comparison is not stored

    def get(self, request):
        form = CompareForm(request.GET)
        slugs = form.slugs()
        notices = form.notices()
        (text, terms), problem = form.to_add()
        add_choices, more_matches = [], False
        if problem:
            notices.append(problem)
        elif terms:
            found = list(matching(KINDS_BY_KEY["cases"], terms).real()[: ADD_CHOICES_MAX + 1])
            diff = {"diff": ["1"]} if form.only_differences() else {}
            if not found:
                notices.append(_("No real case matches “%(text)s”.") % {"text": text})
            elif len(found) == 1 and found[0].slug in slugs:
                notices.append(_("%(title)s is already in the comparison.") % {"title": found[0].title})
            elif len(found) == 1:  # the comparison with it, at its own address
                return redirect(build_url(request.path, {"c": [*slugs, found[0].slug], **diff}))
            else:  # several match (谷歌, 微软 …): the reader chooses, nothing is added silently
                add_choices = [
                    (case, build_url(request.path, {"c": [*slugs, case.slug], **diff}), case.slug in slugs)
                    for case in found[:ADD_CHOICES_MAX]
                ]
                more_matches = len(found) > ADD_CHOICES_MAX
                notices.append(
                    _("“%(text)s” matches several cases: choose the one to add below.") % {"text": text}
                )
        outcomes = dict(
            m.CaseStudy.objects.filter(slug__in=slugs[:MAX_VALUES]).values_list("slug", "outcome")
        )
        unknown = [slug for slug in slugs if slug not in outcomes]
        if unknown:
            notices.append(_("No case %(slugs)s; it was left out.") % {"slugs": quoted(unknown)})
        invented = [slug for slug, outcome in outcomes.items() if outcome == m.CaseStudy.Outcome.ILLUSTRATIVE]
        if invented:
            notices.append(
                _("%(slugs)s is an invented example, not a real case; it was left out.")
                % {"slugs": quoted(invented)}
            )
        found = {slug for slug in outcomes if slug not in invented}
        chosen = [slug for slug in slugs if slug in found]
        if len(chosen) > COMPARE_MAX:
            notices.append(
                _("At most %(max)d cases can be compared; the first %(max)d are shown.")
                % {"max": COMPARE_MAX}
            )
            chosen = chosen[:COMPARE_MAX]
        cases = m.in_order(m.CaseStudy.objects.filter(slug__in=chosen).for_detail(), chosen, key="slug")
        only_differences = form.only_differences()
        rows = comparison_rows(cases, self.labels) if len(cases) >= COMPARE_MIN else []
        shown = [row for row in rows if row.differs or not only_differences or row.kind == "sources"]
        context = {
            "page_title": _("Compare cases"),
            "page_intro": _(
                "Two to four cases side by side. Rows where the cases differ are marked ≠. "
                "Add cases from the case list with “Add to comparison”."
            ),
            "breadcrumbs": [(_("Case studies"), "articles:case-list")],
            "notices": notices,
            "cases": [
                (case, build_url(request.path, {"c": [s for s in chosen if s != case.slug]}))
                for case in cases
            ],
            "rows": shown,
            "add_choices": add_choices,
            "add_text": text,
            "more_matches": more_matches,
            "hidden_rows": len(rows) - len(shown),
            "only_differences": only_differences,
            "toggle_url": build_url(request.path, {"c": chosen, "diff": [] if only_differences else ["1"]}),
            "chosen": chosen,
            "list_url": build_url(reverse("articles:case-list"), {"c": chosen}),
            "compare_min": COMPARE_MIN,
            "compare_max": COMPARE_MAX,
        }
        return render_page(request, "articles/compare.html", context)


class InsightsView(SafeMethodsMixin, View):
    """数据图表: factors against outcomes, and the challenge map, each drawn and as a table."""

    page_cache = cached_page()

    def get(self, request):
        index = case_index(request)
        real = real_cases(index)
        met_any = 0
        for bits in index.bits.get("challenge", {}).values():
            met_any |= bits
        met_any &= real
        layers = []  # (layer, label, ids of its best-documented cases, how many met a challenge)
        for layer, label in m.CaseStudy.Layer.choices:
            bits = index.bits.get("layer", {}).get(layer, 0) & met_any
            if bits:
                layers.append(
                    (layer, label, index.page_ids(bits, 0, charts.MAP_CASES_PER_LAYER), bits.bit_count())
                )
        ids = [pk for _layer, _label, layer_ids, _total in layers for pk in layer_ids]
        cases = {
            case.pk: case
            for case in m.CaseStudy.objects.filter(pk__in=ids).only(
                "slug", "title", "organisation", "outcome"
            )
        }
        case_list = reverse("articles:case-list")
        challenge_map = charts.challenge_map(
            challenges=list(
                m.Challenge.objects.order_by("position", "title").only("slug", "title", "position")
            ),
            mitigations=list(m.Mitigation.objects.select_related("strategy").order_by("position")),
            groups=[
                (
                    layer,
                    label,
                    [cases[pk] for pk in layer_ids if pk in cases],
                    total,
                    build_url(case_list, {"layer": [layer]}),
                )
                for layer, label, layer_ids, total in layers
            ],
            lessons=m.Lesson.objects.filter(case_id__in=ids, challenge__isnull=False).only(
                "case_id", "challenge_id", "title"
            ),
        )
        context = {
            "page_title": _("Charts"),
            "page_intro": _(
                "What the case library shows, in pictures and in tables: which success factors go with "
                "survival, and which cases met which challenges."
            ),
            "breadcrumbs": [],
            "notices": QueryForm(request.GET).notices(),
            "factor_chart": charts.factors_by_outcome(index),
            "challenge_map": challenge_map,
            "real_total": real.bit_count(),
        }
        return render_page(request, "articles/insights.html", context)


class CaseTimelineView(SafeMethodsMixin, FacetSearchMixin, View):
    """案例时间轴: founding, funding, releases and exits of the cases on one axis.

    Filtered by the case list's facets (the same :data:`~articles.listings.CASES` listing).
    """

    listing = CASES
    model = m.CaseStudy
    page_cache = cached_page(*CASES.facets)
    template_name = "articles/case_timeline.html"
    page_title = _("Case timeline")
    page_intro = _(
        "Founding, funding, model releases, pivots and exits of the real cases on one time axis. "
        "Narrow it with the same filters as the case list."
    )

    def scope(self, index):
        return real_cases(index)  # the invented example has no dates: not drawn, not counted

    def get(self, request, *args, **kwargs):
        search, context = self.facet_search(request)
        ids = search.index.page_ids(search.matching, 0, charts.TIMELINE_CASES)
        cases = m.in_order(m.CaseStudy.objects.filter(pk__in=ids).only("slug", "title", "outcome"), ids)
        milestones = m.Milestone.objects.filter(case_id__in=ids).order_by("date", "position")
        context.update(
            {
                "chart": charts.timeline(cases, list(milestones)),
                "milestone_kinds": charts.marker_legend(),
                "matching_total": search.matching.bit_count(),
                "drawn_limit": charts.TIMELINE_CASES,
                "list_url": build_url(reverse("articles:case-list"), search.facet_set.selected),
            }
        )
        return render_page(request, self.template_name, context)
