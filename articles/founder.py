"""The founder tools: a self-check of a venture against the case library, and a side-by-side
comparison of cases.

Both work on the case list's facet index (:mod:`articles.facet_index`), so the cost of a
request does not grow with the number of cases: the similarity of every case to a founder's
profile is computed with bitmap arithmetic, and only the few cases shown are read from the
database.

Similarity is stated on the page and kept simple on purpose, so a founder can check it:

* same sector (customer service, coding, healthcare …): 3 points (the market a product serves
  decides its competitors, its buyers and its rules);
* same layer (application, foundation model …): 2 points; same region: 2 points (where a
  company operates decides its regulators, its model suppliers and its rivals);
* same customers (consumers, SMEs, large enterprises and government, developers): 1 point;
  same access (open weights, API, product): 1 point;
* each success factor the founder ticked that the case had: 1 point;
* each challenge the founder ticked that the case met (a lesson on it): 1 point.

So a case in the founder's sector and region (5) outranks one that only builds at the same
layer elsewhere, even with the same customers and access (4).

Ties keep the case list's order (the best-documented cases first). The invented example
(公司X) is never compared.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from . import models as m
from .listings import real_cases
from .params import join_list

# The weights of the criteria (the page states them; the module docstring says why).
WEIGHTS = {"sector": 3, "layer": 2, "region": 2, "customer": 1, "access": 1, "factor": 1, "challenge": 1}
SIMILAR_LIMIT = 6  # similar cases shown (and studied for gaps and failure patterns)
SUCCESSFUL = (m.CaseStudy.Outcome.OPERATING, m.CaseStudy.Outcome.LISTED)
SETBACKS = (
    m.CaseStudy.Outcome.PIVOTED,
    m.CaseStudy.Outcome.SHUT_DOWN,
    m.CaseStudy.Outcome.ACQUIRED,
    m.CaseStudy.Outcome.DEAL_REVERSED,
)
COMPARE_MIN, COMPARE_MAX = 2, 4
ADD_CHOICES_MAX = 8  # cases offered when a name given to the comparison matches several


@dataclass
class Profile:
    """What a founder told the self-check."""

    region: str = ""
    layer: str = ""
    access: str = ""
    sector: str = ""
    customer: str = ""
    factors: list = field(default_factory=list)  # factor slugs
    challenges: list = field(default_factory=list)  # challenge slugs

    @classmethod
    def from_form(cls, form):
        """The profile a valid :class:`articles.params.SelfCheckForm` describes."""
        data = form.cleaned_data
        return cls(
            region=data["region"],
            layer=data["layer"],
            access=data["access"],
            sector=data["sector"],
            customer=data["customer"],
            factors=data["factor"],
            challenges=data["challenge"],
        )

    def criteria(self):
        """(facet param, value, weight) of every criterion the profile sets."""
        single = [
            (param, getattr(self, param)) for param in ("sector", "layer", "region", "customer", "access")
        ]
        criteria = [(param, value, WEIGHTS[param]) for param, value in single if value]
        criteria += [("factor", slug, WEIGHTS["factor"]) for slug in self.factors]
        criteria += [("challenge", slug, WEIGHTS["challenge"]) for slug in self.challenges]
        return criteria


class ScoreBits:
    """A score per record, kept as binary digits: digit *i* is a bitmap of the records whose
    score has bit *i* set. Adding a criterion's bitmap is a ripple-carry addition of bitmaps,
    so scoring every record costs a few big-integer operations per criterion."""

    def __init__(self, everything):
        self.everything = everything
        self.digits = []

    def add(self, bits, times=1):
        for _ in range(times):
            carry = bits
            for i, digit in enumerate(self.digits):
                if not carry:
                    break
                self.digits[i], carry = digit ^ carry, digit & carry
            if carry:
                self.digits.append(carry)

    def equal_to(self, score):
        """Bitmap of the records whose score is exactly ``score``."""
        if score >> len(self.digits):
            return 0
        mask = self.everything
        for i, digit in enumerate(self.digits):
            mask &= digit if (score >> i) & 1 else ~digit
        return mask & self.everything

    @property
    def highest(self):
        return (1 << len(self.digits)) - 1


def rank_similar(index, profile, limit=SIMILAR_LIMIT):
    """[(case id, score)] of the real cases most like ``profile``, best first; score 0 is no match."""
    bits = index.bits
    real = real_cases(index)
    scores = ScoreBits(real)
    for param, value, weight in profile.criteria():
        scores.add(bits.get(param, {}).get(value, 0) & real, times=weight)
    ranked = []
    for score in range(scores.highest, 0, -1):
        if len(ranked) >= limit:
            break
        matching = scores.equal_to(score)
        if matching:
            ranked += [(pk, score) for pk in index.page_ids(matching, 0, limit - len(ranked))]
    return ranked


@dataclass
class Match:
    """A similar case, its score, and why it matched."""

    case: object
    score: int
    same_layer: bool
    same_region: bool
    same_access: bool
    same_sector: bool
    same_customer: bool
    shared_factors: list  # SuccessFactor
    shared_challenges: list  # Challenge

    @classmethod
    def of(cls, case, profile, score):
        factors = [row.factor for row in case.case_factors.all() if row.factor.slug in profile.factors]
        challenges = {}
        for lesson in case.lessons.all():
            if lesson.challenge and lesson.challenge.slug in profile.challenges:
                challenges.setdefault(lesson.challenge.slug, lesson.challenge)
        return cls(
            case=case,
            score=score,
            same_layer=bool(profile.layer) and case.layer == profile.layer,
            same_region=bool(profile.region) and case.region == profile.region,
            same_access=bool(profile.access) and case.access == profile.access,
            same_sector=bool(profile.sector) and profile.sector in case.sectors,
            same_customer=bool(profile.customer) and profile.customer in case.customers,
            shared_factors=factors,
            shared_challenges=list(challenges.values()),
        )


@dataclass
class FactorGap:
    """A success factor the founder did not tick, and the successful similar cases that had it."""

    factor: object
    case_factors: list  # CaseFactor rows: the case and what it did


def factor_gaps(matches, profile):
    """Factors the successful similar cases had and the founder lacks, the most common first."""
    gaps = {}
    for match in matches:
        if match.case.outcome not in SUCCESSFUL:
            continue
        for row in match.case.case_factors.all():
            if row.factor.slug in profile.factors:
                continue
            gaps.setdefault(row.factor.slug, FactorGap(row.factor, [])).case_factors.append(row)
    return sorted(
        gaps.values(), key=lambda gap: (-len(gap.case_factors), gap.factor.position, gap.factor.title)
    )


def setbacks(matches):
    """Similar cases that pivoted, were acquired or shut down: what happened and their lessons."""
    return [match.case for match in matches if match.case.outcome in SETBACKS]


def similar_cases(index, profile):
    """The similar cases as :class:`Match` es, best first (one query for the cases, three prefetches)."""
    ranked = rank_similar(index, profile)
    ids = [pk for pk, _ in ranked]
    cases = {
        case.pk: case
        for case in m.CaseStudy.objects.filter(pk__in=ids)
        .for_listing()
        .prefetch_related(
            Prefetch("lessons", queryset=m.Lesson.objects.select_related("challenge").order_by("position"))
        )
    }
    return [Match.of(cases[pk], profile, score) for pk, score in ranked if pk in cases]


# -- Comparison ---------------------------------------------------------------------------


@dataclass
class Row:
    """One row of the comparison table: a label, one cell per case, and whether the cells differ."""

    kind: str  # "text", "factor", "challenge", "figures", "sources", "outcome", "flagship"
    key: str  # the fixed row's name, or the factor's or challenge's slug
    label: str
    cells: list
    url: str = ""
    differs: bool = False
    cases: list = field(default_factory=list)

    @property
    def columns(self):
        """(case, cell) pairs, for the template."""
        return list(zip(self.cases, self.cells, strict=True))


def _differs(keys):
    return len(set(keys)) > 1


def flagship(case):
    """(product, date of its first release milestone or "")."""
    releases = [row for row in case.milestones.all() if row.kind == m.Milestone.Kind.RELEASE]
    return case.product, (releases[0].date if releases else "")


def latest_figure(case, metric):
    """The case's most recent key figure measuring ``metric`` (None when it has none)."""
    figures = [row for row in case.key_figures.all() if row.metric == metric]
    return max(figures, key=lambda row: (row.as_of, -row.position), default=None)


def comparison_rows(cases, labels):
    """The rows of the comparison of ``cases`` (fetched with ``for_detail()``).

    ``labels`` names the fixed rows (a dict, so the view translates them). Factor and
    challenge rows are the union over the cases, in the vocabulary's order.
    """
    rows = []

    def text_row(key, values):
        rows.append(Row("text", key, labels[key], values, differs=_differs(values)))

    text_row("organisation", [case.organisation for case in cases])
    text_row("founded", [case.founded for case in cases])
    text_row("headquarters", [case.headquarters for case in cases])
    text_row("founders", [case.founders for case in cases])
    text_row("layer", [case.get_layer_display() for case in cases])
    text_row("access", [case.get_access_display() for case in cases])
    text_row("sectors", [join_list(str(label) for _value, label in case.sector_choices()) for case in cases])
    text_row(
        "customers", [join_list(str(label) for _value, label in case.customer_choices()) for case in cases]
    )
    rows.append(
        Row(
            "outcome",
            "outcome",
            labels["outcome"],
            list(cases),
            differs=_differs([(case.outcome, case.outcome_date) for case in cases]),
        )
    )
    flagships = [flagship(case) for case in cases]
    rows.append(Row("flagship", "flagship", labels["flagship"], flagships, differs=_differs(flagships)))
    for metric, label in m.KeyFigure.Metric.choices:
        cells = [latest_figure(case, metric) for case in cases]
        keys = [(f.value, f.unit, f.as_of) if f else None for f in cells]
        rows.append(Row("metric", metric, label, cells, differs=_differs(keys)))
    figures = [list(case.key_figures.all()) for case in cases]
    rows.append(
        Row(
            "figures",
            "figures",
            labels["figures"],
            figures,
            differs=_differs([tuple((f.label, f.value, f.unit, f.as_of) for f in fs) for fs in figures]),
        )
    )
    factors = {}
    for case in cases:
        for row in case.case_factors.all():
            factors.setdefault(row.factor.pk, row.factor)
    for factor in sorted(factors.values(), key=lambda f: (f.position, f.title)):
        cells = [
            next((row for row in case.case_factors.all() if row.factor_id == factor.pk), None)
            for case in cases
        ]
        rows.append(
            Row(
                "factor",
                factor.slug,
                factor.title,
                cells,
                url=factor.get_absolute_url(),
                differs=_differs([cell is not None for cell in cells]),
            )
        )
    challenges = {}
    for case in cases:
        for lesson in case.lessons.all():
            if lesson.challenge:
                challenges.setdefault(lesson.challenge.pk, lesson.challenge)
    for challenge in sorted(challenges.values(), key=lambda c: (c.position, c.title)):
        cells = [
            [lesson for lesson in case.lessons.all() if lesson.challenge_id == challenge.pk] for case in cases
        ]
        rows.append(
            Row(
                "challenge",
                challenge.slug,
                challenge.title,
                cells,
                url=challenge.get_absolute_url(),
                differs=_differs([bool(cell) for cell in cells]),
            )
        )
    rows.append(Row("sources", "sources", labels["sources"], [list(case.sources.all()) for case in cases]))
    for row in rows:
        row.cases = list(cases)
    return rows
