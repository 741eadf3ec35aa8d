"""The knowledge model of 大模型创业知识库.

Every record kind shares :class:`Entry` (title, slug, summary, Markdown body,
the seed section it came from, an optional editor's note, timestamps, tags).
The links are what make the knowledge useful:

* a :class:`CaseStudy` has :class:`SuccessFactor` s (a shared vocabulary) through
  :class:`CaseFactor`, which carries that case's own explanation, and
  :class:`Lesson` s, each pointing to the :class:`Challenge` it illustrates;
* a :class:`Challenge` is mitigated by :class:`Strategy` s through
  :class:`Mitigation`, which says how the strategy applies to that challenge;
* :class:`Trend` s relate to challenges and concepts, :class:`Resource` s to
  concepts, strategies to the practical :class:`Advice` they build on.
"""

import datetime
import re
from functools import lru_cache

from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Count, F
from django.db.models.functions import RowNumber, Substr
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

from .forms import normalize_newlines
from .links import url_for
from .rendering import link_citations, render_markdown

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def validate_partial_date(value):
    """A date as precise as it is known: "2023", "2023-09" or "2023-09-27"."""
    match = PARTIAL_DATE.match(value or "")
    try:
        if not match:
            raise ValueError
        year, month, day = (int(part) if part else 1 for part in match.groups())
        datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD."),
            code="invalid",
            params={"value": value},
        ) from None


class PartialDateField(models.CharField):
    """A date as precise as the source gives it (YYYY, YYYY-MM or YYYY-MM-DD); sorts as text."""

    default_validators = [validate_partial_date]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(*args, **kwargs)


class ChoiceListField(models.JSONField):
    """Several values of one vocabulary (``options``, a TextChoices), stored as a JSON list:
    a case's sectors and customers. The admin shows the vocabulary as checkboxes; a value
    outside it fails validation, naming it."""

    def __init__(self, *args, options=None, **kwargs):
        self.options = options
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError(_("Give a list of values."), code="invalid")
        unknown = [item for item in value if item not in self.options.values]
        if unknown:
            raise ValidationError(
                _("Unknown value(s): %(values)s. Choose from: %(choices)s."),
                code="invalid_choice",
                params={"values": ", ".join(unknown), "choices": ", ".join(self.options.values)},
            )

    def chosen(self, values):
        """(value, label) of ``values``, in the vocabulary's order."""
        return [(value, label) for value, label in self.options.choices if value in values]

    def formfield(self, **kwargs):
        return forms.TypedMultipleChoiceField(
            choices=self.options.choices,
            required=not self.blank,
            label=capfirst(self.verbose_name),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


def web_url_validator():
    return URLValidator(schemes=["http", "https"])


def in_order(objects, ids, key="pk"):
    """``objects`` in the order of ``ids`` (by their ``key`` attribute), for rows fetched with
    ``pk__in`` (or ``case_id__in`` …) from ids an index ranked; ids not found are skipped."""
    by_id = {}
    for obj in objects:
        by_id.setdefault(getattr(obj, key), []).append(obj)
    return [obj for pk in ids for obj in by_id.get(pk, ())]


@lru_cache(maxsize=1024)
def _choice_label(model, field_name, value, language):
    field = model._meta.get_field(field_name)
    return str(dict(field.flatchoices).get(value, value))


class ChoiceLabels(models.Model):
    """``get_<field>_display()`` from a table made once per field, value and language.

    Django's own builds a dict of every (lazy) label of the field on each call, a cost a list
    pays per row; the labels of a choice field only change with the language.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            return _choice_label(type(self)._meta.concrete_model, field.name, value, get_language())
        except TypeError:  # an unhashable value: Django's way
            return super()._get_FIELD_display(field)


class EntryQuerySet(models.QuerySet):
    """What every kind's list and detail page fetch; kinds with relations extend both."""

    def for_listing(self):
        return self.prefetch_related("tags")

    def for_detail(self):
        return self.prefetch_related("tags")


class Entry(ChoiceLabels):
    """What every record of the knowledge base has in common."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Stable ASCII identifier used in URLs, e.g. data-privacy."),
    )
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)
    source = models.CharField(
        _("source section"),
        max_length=40,
        blank=True,
        help_text=_("Section of the source article this record comes from, e.g. 4.1."),
    )
    editor_note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_("Correction shown to readers where the source article is wrong."),
    )
    position = models.PositiveIntegerField(_("position"), default=0, db_index=True)
    created = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    tags = TaggableManager(_("tags"), blank=True)
    # The tag links as rows, so that version history (django-reversion) can follow them.
    tagged_items = GenericRelation(TaggedItem)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "title"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                setattr(self, field.attname, normalize_newlines(getattr(self, field.attname)))
        self.body_html = self.render_body()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    url_prefix = None  # each kind's: its pages are articles:<prefix>-list and articles:<prefix>-detail

    def get_absolute_url(self):
        return url_for(f"articles:{self.url_prefix}-detail", slug=self.slug)

    def get_history_url(self):
        return url_for("articles:record-history", prefix=self.url_prefix, slug=self.slug)

    @property
    def report_about(self):
        """How the report form names this record (``?about=case/openai-gpt3``)."""
        return f"{self.url_prefix}/{self.slug}"

    def render_body(self):
        return render_markdown(self.body)

    def integrity_problems(self):
        """What is inconsistent across this record and its rows (checked by load_kb and the admin)."""
        return []


class ConceptQuerySet(EntryQuerySet):
    def for_detail(self):
        return self.prefetch_related(
            "tags",
            models.Prefetch("resources", queryset=Resource.objects.order_by("position", "title")),
            models.Prefetch("trends", queryset=Trend.objects.order_by("position")),
            models.Prefetch("cases", queryset=CaseStudy.objects.order_by("position")),
        )

    def timeline(self):
        return self.filter(year__isnull=False).order_by("year", "position")


class Concept(Entry):
    """A technical idea or milestone: an architecture, a related technology, an event."""

    url_prefix = "concept"

    class Kind(models.TextChoices):
        ARCHITECTURE = "architecture", _("Architecture")
        TECHNOLOGY = "technology", _("Related technology")
        MILESTONE = "milestone", _("Milestone")
        GENERAL = "general", _("General")

    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    year_is_decade = models.BooleanField(
        _("decade only"), default=False, help_text=_("The year stands for a decade (1980 → 1980s).")
    )

    objects = ConceptQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        indexes = [models.Index(fields=["kind", "position"]), models.Index(fields=["year"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1900, year__lte=2100),
                name="concept_year_plausible",
            )
        ]

    @property
    def english_name(self):
        """The English name where it adds to the title: "BERT (Bidirectional …)" → "Bidirectional …"."""
        name = self.name_en.strip()
        if name == self.title:
            return ""
        if name.startswith(self.title):
            name = name[len(self.title) :].strip().removeprefix("(").removesuffix(")").strip()
        return name


class Advantage(Entry):
    """An advantage of founding a company on large models (section 3.1)."""

    url_prefix = "advantage"

    class Meta(Entry.Meta):
        verbose_name = _("advantage")
        verbose_name_plural = _("advantages")


class AdviceQuerySet(EntryQuerySet):
    def for_listing(self):
        return self.prefetch_related("tags", "strategies")

    def for_detail(self):
        return self.prefetch_related("tags", "strategies__challenges")


class Advice(Entry):
    """A piece of practical advice for founders (section 6), grouped by area."""

    url_prefix = "advice"

    class Area(models.TextChoices):
        TECHNOLOGY = "technology", _("Technical foundation")
        TEAM = "team", _("Team building")
        MARKET = "market", _("Market positioning")
        RESOURCES = "resources", _("Resource integration")
        COMPLIANCE = "compliance", _("Legal compliance and ethics")

    area = models.CharField(_("area"), max_length=20, choices=Area.choices)

    objects = AdviceQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("advice")
        verbose_name_plural = _("advice")
        indexes = [models.Index(fields=["area", "position"])]


class StrategyQuerySet(EntryQuerySet):
    def for_listing(self):
        return self.prefetch_related("tags", "challenges")

    def for_detail(self):
        return self.prefetch_related(
            "tags",
            models.Prefetch(
                "mitigations",
                queryset=Mitigation.objects.select_related("challenge").order_by(
                    "challenge__position", "position"
                ),
            ),
            "advice",
        )


class Strategy(Entry):
    """A way to mitigate one or more challenges (section 5.2, and advice of section 6)."""

    url_prefix = "strategy"

    advice = models.ManyToManyField(
        Advice, blank=True, related_name="strategies", verbose_name=_("related advice")
    )

    objects = StrategyQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")


class ChallengeQuerySet(EntryQuerySet):
    def for_listing(self):
        return self.prefetch_related(
            "tags",
            models.Prefetch(
                "mitigations",
                queryset=Mitigation.objects.select_related("strategy").order_by("position"),
            ),
        )

    def for_detail(self):
        return self.prefetch_related(
            "tags",
            models.Prefetch(
                "mitigations",
                queryset=Mitigation.objects.select_related("strategy")
                .prefetch_related("strategy__advice")
                .order_by("position"),
            ),
            models.Prefetch("trends", queryset=Trend.objects.order_by("position")),
        )


class Challenge(Entry):
    """A challenge founders face (sections 3.2, 1.4 and 5.2)."""

    url_prefix = "challenge"

    strategies = models.ManyToManyField(
        Strategy,
        through="Mitigation",
        related_name="challenges",
        blank=True,
        verbose_name=_("mitigation strategies"),
    )

    objects = ChallengeQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def related_advice(self):
        """The advice linked to this challenge's strategies, once each (fetched with ``for_detail()``)."""
        advice = {}
        for mitigation in self.mitigations.all():
            for item in mitigation.strategy.advice.all():
                advice.setdefault(item.pk, item)
        return sorted(advice.values(), key=lambda a: (a.position, a.title))


class Mitigation(ChoiceLabels):
    """How one strategy mitigates one challenge."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="mitigations", verbose_name=_("challenge")
    )
    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="mitigations", verbose_name=_("strategy")
    )
    how = models.TextField(_("how it applies"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("mitigation")
        verbose_name_plural = _("mitigations")
        ordering = ["challenge", "position"]
        constraints = [models.UniqueConstraint(fields=["challenge", "strategy"], name="unique_mitigation")]

    def __str__(self):
        return f"{self.strategy} → {self.challenge}"


class SuccessFactorQuerySet(EntryQuerySet):
    def with_case_count(self):
        """With ``case_count``, the number of real cases that have the factor (not the invented example)."""
        real = models.Q(case_factors__case__in=CaseStudy.objects.real())
        return self.annotate(case_count=Count("case_factors", filter=real))

    def for_listing(self):
        return self.with_case_count().prefetch_related("tags")


class SuccessFactor(Entry):
    """A success factor shared by case studies (e.g. 强大的技术团队)."""

    url_prefix = "factor"

    objects = SuccessFactorQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("success factor")
        verbose_name_plural = _("success factors")


class ResourceQuerySet(EntryQuerySet):
    def for_listing(self):
        return self.prefetch_related("tags", "concepts")

    def for_detail(self):
        return self.for_listing()

    def about_case(self, case):
        """Resources on the concepts a case relates to."""
        return self.filter(concepts__cases=case).distinct().order_by("kind", "position")


class Resource(Entry):
    """A book, course, paper, framework, platform or report worth reading (sections 7 and 10)."""

    url_prefix = "resource"

    class Kind(models.TextChoices):
        BOOK = "book", _("Book")
        COURSE = "course", _("Course")
        PAPER = "paper", _("Paper")
        FRAMEWORK = "framework", _("Framework")
        CLOUD = "cloud", _("Cloud platform")
        DATA = "data", _("Data platform")
        REPORT = "report", _("Report")
        PAPER_DATABASE = "paper-database", _("Paper database")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    authors = models.CharField(_("authors or publisher"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("URL"), blank=True)
    concepts = models.ManyToManyField(
        Concept, blank=True, related_name="resources", verbose_name=_("concepts")
    )

    objects = ResourceQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [models.Index(fields=["kind", "position"])]

    @property
    def external_url(self):
        """The URL if it is a web address; never a ``javascript:`` or other scheme."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else ""


class CaseStudyQuerySet(EntryQuerySet):
    def real(self):
        """The real companies: every case but the source article's invented example (公司X)."""
        return self.exclude(outcome=CaseStudy.Outcome.ILLUSTRATIVE)

    def with_lessons_on(self, challenge):
        """Each case carrying its lessons on ``challenge`` as ``challenge_lessons``."""
        return self.prefetch_related(
            models.Prefetch(
                "lessons",
                queryset=Lesson.objects.filter(challenge=challenge).order_by("position"),
                to_attr="challenge_lessons",
            )
        )

    @staticmethod
    def factors_prefetch():
        """A case's success factors with their vocabulary entries, in order (one query for all cases)."""
        return models.Prefetch(
            "case_factors", queryset=CaseFactor.objects.select_related("factor").order_by("position")
        )

    def best_documented_first(self):
        """Real cases with the most primary sources, then the most sources, first; invented examples last."""
        return self.annotate(
            illustrative=models.Case(
                models.When(outcome=CaseStudy.Outcome.ILLUSTRATIVE, then=models.Value(1)),
                default=models.Value(0),
            ),
            primary_sources=Count("sources", filter=models.Q(sources__kind=Source.Kind.PRIMARY)),
            source_count=Count("sources"),
        ).order_by("illustrative", "-primary_sources", "-source_count", "position", "title")

    def for_listing(self):
        return self.prefetch_related("tags", self.factors_prefetch())

    def for_detail(self):
        return self.prefetch_related(
            "tags",
            self.factors_prefetch(),
            "sources",
            models.Prefetch("milestones", queryset=Milestone.objects.order_by("date", "position")),
            "key_figures",
            models.Prefetch(
                "lessons",
                queryset=Lesson.objects.select_related("challenge").order_by("position"),
            ),
            models.Prefetch("concepts", queryset=Concept.objects.order_by("position")),
        )


class CaseStudy(Entry):
    """A company or product built on large models: what it did, what became of it, and the sources.

    Its success factors come from the shared vocabulary (:class:`CaseFactor` carries this
    case's own explanation), its :class:`Lesson` s each illustrate a :class:`Challenge`, and
    every fact on its page is backed by one of its numbered :class:`Source` s (milestones and
    key figures name theirs; the body cites them as [1], [2] …).
    """

    url_prefix = "case"

    class Region(models.TextChoices):
        CHINA = "china", _("China")
        OVERSEAS = "overseas", _("Outside China")

    class Outcome(models.TextChoices):
        OPERATING = "operating", _("Operating")
        PIVOTED = "pivoted", _("Pivoted")
        ACQUIRED = "acquired", _("Acquired or acqui-hired")
        SHUT_DOWN = "shut-down", _("Shut down")
        DEAL_REVERSED = "deal-reversed", _("Deal blocked or reversed")
        LISTED = "listed", _("Listed (IPO)")
        ILLUSTRATIVE = "illustrative", _("Illustrative example (invented)")

    class Layer(models.TextChoices):
        FOUNDATION = "foundation", _("Foundation model")
        APPLICATION = "application", _("Application")
        PLATFORM = "platform", _("Platform or tooling")
        INFRASTRUCTURE = "infrastructure", _("Infrastructure or hardware")

    class Access(models.TextChoices):
        OPEN_WEIGHTS = "open-weights", _("Open weights")
        API = "api", _("API")
        PRODUCT = "product", _("Product only")

    class Sector(models.TextChoices):
        """What the company's product is for (an application's market; a lab's or a chip
        maker's is "general-purpose" or "compute")."""

        CUSTOMER_SERVICE = "customer-service", _("Customer service")
        MARKETING = "marketing-content", _("Marketing and content")
        CREATIVE = "creative-media", _("Images, video and music")
        CODING = "coding", _("Coding and developer tools")
        SEARCH = "search", _("Search and information")
        EDUCATION = "education", _("Education")
        HEALTHCARE = "healthcare", _("Healthcare")
        LEGAL = "legal", _("Legal")
        FINANCE = "finance", _("Finance")
        COMMERCE = "commerce", _("Commerce and retail")
        OFFICE = "office", _("Office and productivity")
        COMPANION = "companion-social", _("Companionship and social")
        DEVICES = "devices", _("Hardware and devices")
        MOBILITY = "mobility", _("Autonomous driving and mobility")
        COMPUTE = "compute", _("Compute, chips and cloud")
        GENERAL = "general", _("General-purpose models and assistants")

    class Customer(models.TextChoices):
        CONSUMERS = "consumers", _("Consumers")
        SMB = "smb", _("Small and medium businesses")
        ENTERPRISE = "enterprise-government", _("Large enterprises and government")
        DEVELOPERS = "developers", _("Developers")

    organisation = models.CharField(_("organisation"), max_length=200)
    product = models.CharField(_("product or model"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founding year"), null=True, blank=True)
    founded_month = models.PositiveSmallIntegerField(_("founding month"), null=True, blank=True)
    hq_city = models.CharField(_("headquarters city"), max_length=100, blank=True)
    hq_country = models.CharField(_("headquarters country"), max_length=100, blank=True)
    founders = models.CharField(_("founders"), max_length=400, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.OPERATING
    )
    outcome_date = PartialDateField(_("outcome date"), blank=True)
    outcome_note = models.CharField(_("what happened"), max_length=400, blank=True)
    layer = models.CharField(_("layer"), max_length=20, choices=Layer.choices, blank=True)
    access = models.CharField(_("access"), max_length=20, choices=Access.choices, blank=True)
    sectors = ChoiceListField(
        _("sectors"), options=Sector, help_text=_("What the product is for; one or more.")
    )
    customers = ChoiceListField(
        _("customers"), options=Customer, help_text=_("Who pays for or uses the product; one or more.")
    )
    aliases = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Other spellings search should find, one per line: company, founders, models, products."),
    )
    disagreements = models.TextField(_("where sources disagree"), blank=True)
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    factors = models.ManyToManyField(
        SuccessFactor,
        through="CaseFactor",
        related_name="cases",
        blank=True,
        verbose_name=_("success factors"),
    )
    concepts = models.ManyToManyField(Concept, blank=True, related_name="cases", verbose_name=_("concepts"))

    objects = CaseStudyQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")
        indexes = [
            models.Index(fields=["outcome"]),
            models.Index(fields=["layer"]),
            models.Index(fields=["region"]),
            models.Index(fields=["access"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(founded_month__isnull=True)
                | models.Q(founded_month__gte=1, founded_month__lte=12),
                name="case_founded_month_valid",
            )
        ]

    def render_body(self):
        return link_citations(render_markdown(self.body))

    @property
    def is_illustrative(self):
        return self.outcome == self.Outcome.ILLUSTRATIVE

    @property
    def founded(self):
        """ "2023-04" or "2023" (or "")."""
        if not self.founded_year:
            return ""
        return (
            f"{self.founded_year}-{self.founded_month:02d}" if self.founded_month else str(self.founded_year)
        )

    def sector_choices(self):
        return self._meta.get_field("sectors").chosen(self.sectors)

    def customer_choices(self):
        return self._meta.get_field("customers").chosen(self.customers)

    @property
    def vocabulary_text(self):
        """The names of the case's sectors and customers in every language, for search
        (so 客服 and "customer service" both find a customer-service company)."""
        names = []
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names += [str(label) for _value, label in (*self.sector_choices(), *self.customer_choices())]
        return " ".join(names)

    @property
    def headquarters(self):
        return "，".join(part for part in (self.hq_city, self.hq_country) if part)

    def integrity_problems(self):
        """Source numbers cited by milestones, key figures or the body that the case does not have."""
        numbers = {source.position for source in self.sources.all()}
        cited = {row.source for row in (*self.milestones.all(), *self.key_figures.all()) if row.source}
        cited |= {int(n) for n in re.findall(r"\[(\d{1,3})\]", self.body)}
        missing = sorted(cited - numbers)
        if not missing:
            return []
        return [
            _("cites source %(numbers)s, which the case does not have")
            % {"numbers": ", ".join(f"[{n}]" for n in missing)}
        ]


class Source(ChoiceLabels):
    """A source a reader can open, numbered within its case: [1], [2] …"""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary (the company's own announcement, paper, model card, filing …)")
        SECONDARY = "secondary", _("Secondary (news, analysis)")

    case = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="sources", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, validators=[web_url_validator()])
    date = PartialDateField(_("date"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SECONDARY)
    position = models.PositiveIntegerField(_("number"), default=0)
    # The link check (``manage.py check_sources``): operational state, not part of the fixture.
    checked_at = models.DateTimeField(_("link checked"), null=True, blank=True, editable=False)
    check_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True, editable=False)
    final_url = models.URLField(_("final address"), max_length=500, blank=True, editable=False)
    check_error = models.CharField(_("check error"), max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["case", "position"]

    def __str__(self):
        return f"[{self.position}] {self.title}"

    @property
    def is_primary(self):
        return self.kind == self.Kind.PRIMARY

    @property
    def is_broken(self):
        """The last link check found no page: an error status (4xx, 5xx) or no answer at all."""
        return self.checked_at is not None and (self.check_status is None or self.check_status >= 400)

    @property
    def archive_url(self):
        """The Wayback Machine's copy nearest the source's date (its partial date is a valid
        timestamp prefix there); built from the address alone, nothing is fetched."""
        stamp = self.date.replace("-", "") if self.date else "2"
        return f"https://web.archive.org/web/{stamp}/{self.url}"


# What a timeline line shows: the milestone and its case's name and address (not the case's
# text, which the window query of first_of_each_year would otherwise carry for every row).
TIMELINE_FIELDS = ("date", "kind", "title", "source", "case__slug", "case__organisation")


class MilestoneQuerySet(models.QuerySet):
    def with_year(self):
        return self.annotate(year_text=Substr("date", 1, 4))

    def first_of_each_year(self, limit):
        """At most ``limit`` milestones of each year (the earliest), in one query."""
        ranked = self.with_year().annotate(
            rank=models.Window(
                RowNumber(),
                partition_by=[F("year_text")],
                order_by=[F("date"), F("case__title"), F("position")],
            )
        )
        return ranked.filter(rank__lte=limit)

    def count_by_year(self):
        """{year text: number of milestones}."""
        return dict(self.with_year().order_by().values_list("year_text").annotate(n=Count("pk")))

    def for_timeline(self):
        """Milestones of the real cases (not the invented example), oldest first."""
        return self.filter(case__in=CaseStudy.objects.real()).order_by("date", "case__title", "position")

    def timeline_rows(self):
        """What a timeline line shows, as named rows rather than model instances (a timeline
        page shows a few hundred; ``articles.timeline.milestone_lines`` builds them)."""
        return self.values_list(*TIMELINE_FIELDS, named=True)


class Milestone(ChoiceLabels):
    """A dated event of a case: founding, a funding round, a model release, a pivot, an exit."""

    class Kind(models.TextChoices):
        FOUNDING = "founding", _("Founding")
        FUNDING = "funding", _("Funding")
        RELEASE = "release", _("Release")
        PIVOT = "pivot", _("Pivot")
        EXIT = "exit", _("Exit")
        OTHER = "other", _("Other")

    case = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("case")
    )
    date = PartialDateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("what happened"), max_length=300)
    source = models.PositiveSmallIntegerField(_("source number"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["date", "position"]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.date} {self.title}"

    @property
    def year(self):
        """The year, or None if the date is not one (the admin and load_kb never let that in)."""
        match = PARTIAL_DATE.match(self.date or "")
        return int(match.group(1)) if match else None


class KeyFigure(ChoiceLabels):
    """A figure of a case (parameters, funding, users, revenue, valuation), as of a date, with its source."""

    case = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="key_figures", verbose_name=_("case")
    )

    class Metric(models.TextChoices):
        """What a figure measures, when it is one the comparison lines up across cases."""

        FUNDING = "funding-total", _("Total funding")
        VALUATION = "valuation", _("Latest valuation")
        REVENUE = "revenue", _("Revenue")
        USERS = "users", _("Users")
        EMPLOYEES = "employees", _("Employees")

    label = models.CharField(_("label"), max_length=200)
    metric = models.CharField(
        _("measures"),
        max_length=20,
        choices=Metric.choices,
        blank=True,
        help_text=_(
            "Set it when the figure is the company's total funding, latest valuation (or market "
            "value), revenue, users or staff: the comparison shows the latest such figure of each "
            "case in a row of its own."
        ),
    )
    value = models.CharField(_("value"), max_length=100)
    unit = models.CharField(_("unit"), max_length=100, blank=True)
    as_of = PartialDateField(_("as of"), blank=True)
    source = models.PositiveSmallIntegerField(_("source number"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        ordering = ["case", "position"]

    def __str__(self):
        return f"{self.label}: {self.value}{self.unit}"


class CaseFactorQuerySet(models.QuerySet):
    def of_factor(self, factor):
        """The cases that have ``factor``, with their explanations, in the cases' order."""
        return self.filter(factor=factor).select_related("case").order_by("case__position", "case__title")


class CaseFactor(ChoiceLabels):
    """A success factor as it applied in one case, in that case's own words."""

    case = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="case_factors", verbose_name=_("case")
    )
    factor = models.ForeignKey(
        SuccessFactor,
        on_delete=models.CASCADE,
        related_name="case_factors",
        verbose_name=_("success factor"),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = CaseFactorQuerySet.as_manager()

    class Meta:
        verbose_name = _("case success factor")
        verbose_name_plural = _("case success factors")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "factor"], name="unique_case_factor")]

    def __str__(self):
        return f"{self.case} · {self.factor}"


class Lesson(ChoiceLabels):
    """A lesson learned in one case, linked to the challenge it illustrates."""

    case = models.ForeignKey(
        CaseStudy, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("case")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    challenge = models.ForeignKey(
        Challenge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        verbose_name=_("challenge"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "title"], name="unique_case_lesson")]

    def __str__(self):
        return f"{self.case} · {self.title}"


class TrendQuerySet(EntryQuerySet):
    def for_listing(self):
        return self.prefetch_related("tags", "challenges", "concepts")

    def for_detail(self):
        return self.for_listing()


class Trend(Entry):
    """A trend in large-model entrepreneurship (section 5.1)."""

    url_prefix = "trend"

    challenges = models.ManyToManyField(
        Challenge, blank=True, related_name="trends", verbose_name=_("related challenges")
    )
    concepts = models.ManyToManyField(
        Concept, blank=True, related_name="trends", verbose_name=_("related concepts")
    )

    objects = TrendQuerySet.as_manager()

    class Meta(Entry.Meta):
        verbose_name = _("trend")
        verbose_name_plural = _("trends")


class FAQ(Entry):
    """A frequently asked question (section 9); the title is the question, the body the answer."""

    url_prefix = "faq"

    class Meta(Entry.Meta):
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")


class SynonymGroup(models.Model):
    """Words search treats as one (Agent, 智能体, AI智能体): a query for any of them finds
    records that use any other, in Chinese and in English. Editors keep the table."""

    words = models.TextField(
        _("words"),
        help_text=_("One word or phrase per line, e.g. Agent, 智能体. Matching ignores case."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")
        ordering = ["pk"]

    def __str__(self):
        return " ↔ ".join(self.word_list())

    def word_list(self):
        return [word.strip() for word in normalize_newlines(self.words).split("\n") if word.strip()]

    def clean(self):
        if len(self.word_list()) < 2:
            raise ValidationError({"words": _("Give at least two words, one per line.")})


class ContentVersion(models.Model):
    """A counter that every change to the knowledge base bumps, after the change commits.

    Cached pages are keyed by it, and it is their ETag, so an edit shows on the next
    request on every host (see :mod:`articles.pagecache`). One row.
    """

    number = models.PositiveBigIntegerField(default=1)
    changed = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return f"{self.number} ({self.changed:%Y-%m-%d %H:%M})"


class SearchEntry(models.Model):
    """The search index row of one record: its text as CJK bigram and word tokens.

    Written and kept current by :mod:`articles.search_index`; not edited by hand.
    """

    kind = models.CharField(max_length=20)
    record_id = models.PositiveBigIntegerField()
    tokens = models.TextField()

    class Meta:
        verbose_name = _("search index entry")
        verbose_name_plural = _("search index entries")
        constraints = [models.UniqueConstraint(fields=["kind", "record_id"], name="unique_search_entry")]

    def __str__(self):
        return f"{self.kind} {self.record_id}"


class ReaderReport(ChoiceLabels):
    """A reader's report of an error on a page, or a company suggested for the library.

    Reports are not content: saving one bumps no content version and is never shown publicly.
    """

    class Kind(models.TextChoices):
        ERROR = "error", _("Report an error")
        SUGGESTION = "suggestion", _("Suggest a company")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        DONE = "done", _("Done")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ERROR)
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        verbose_name=_("record kind"),
    )
    object_id = models.PositiveIntegerField(_("record id"), null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    message = models.TextField(_("message"), max_length=2000)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    created = models.DateTimeField(_("received"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reader report")
        verbose_name_plural = _("reader reports")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["status", "created"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created:%Y-%m-%d}"


class ReviewQueue(CaseStudy):
    """待复核 in the admin: the editors' queue of what needs attention (``articles.review``)."""

    class Meta:
        proxy = True
        verbose_name = _("review queue")
        verbose_name_plural = _("review queue")
