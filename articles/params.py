"""Query parameters, read through forms only.

Every parameter a page reads (``page``, ``q``, ``type``, the facets such as
``factor``, ``challenge``, ``tag`` and ``kind``) is a field of one of these
forms, so a value that does not parse gets a message for the reader instead of
reaching ``int()`` or the database. Parsing by hand is how ``?page=²`` once
became a server error: ``"²".isdigit()`` is true, ``int("²")`` raises.

The forms are lenient where a reader is better served by a page than by an
error: a bad page number shows the nearest page and says so, an unknown facet
value is named and left out while the known ones apply.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .models import CaseStudy

MAX_VALUES = 50  # per repeated parameter; more is reported, not silently cut
SHOWN_UNKNOWN = 5  # unknown values or parameters named in a notice
MAX_PAGE = 10**9
MAX_QUERY_LENGTH = 100
MAX_TERMS = 5


def clean_values(raw_values):
    """Strip, drop empties and repeats, keep order."""
    values = []
    for raw in raw_values:
        value = raw.strip()
        if value and value not in values:
            values.append(value)
    return values


def short(value):
    return Truncator(value).chars(40)


def join_list(items):
    """Join for reading: "a、b" in Chinese, "a, b" in English."""
    return pgettext("list separator", ", ").join(items)


def quoted(values):
    return join_list(f"“{short(value)}”" for value in values)


def parse_ids(values):
    """Database ids from query values (``["3", "12"]``), or None if any is not a positive integer."""
    field = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    try:
        return [field.clean(value) for value in values]
    except ValidationError:
        return None


class ListField(forms.Field):
    """Every value of a repeated parameter (``?tag=a&tag=b``), cleaned by :func:`clean_values`."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return clean_values(value or [])


class PageField(forms.IntegerField):
    """A page number: a positive integer, or nothing for the first page."""

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, max_value=MAX_PAGE, **kwargs)


@dataclass
class FacetChoice:
    """What a reader asked of one facet: values that exist, values that do not, and how many."""

    selected: list = field(default_factory=list)
    unknown: list = field(default_factory=list)
    asked: int = 0  # values asked for, before the MAX_VALUES cut


class FacetField(ListField):
    """A facet's values: those among ``options`` are applied, others are reported."""

    def __init__(self, options, **kwargs):
        self.options = options
        super().__init__(**kwargs)

    def clean(self, value):
        values = self.to_python(value)
        kept = values[:MAX_VALUES]
        return FacetChoice(
            selected=[slug for slug in kept if slug in self.options],
            unknown=[slug for slug in kept if slug not in self.options],
            asked=len(values),
        )


class QueryForm(forms.Form):
    """The query string of a page that reads no parameter; any parameter given is reported."""

    def stray(self):
        return [key for key in self.data if key not in self.fields]

    def notices(self):
        stray = self.stray()
        if not stray:
            return []
        return [_("Unknown parameter %(names)s was ignored.") % {"names": quoted(stray[:SHOWN_UNKNOWN])}]


class PagedForm(QueryForm):
    """The query string of a paginated page: ``page``, plus what subclasses add."""

    page = PageField()

    def page_number(self):
        """The page asked for, or None when none was given or it was not a page number."""
        self.is_valid()
        return self.cleaned_data.get("page")

    def page_given(self):
        """The page value as the reader wrote it (for a notice), or '' when none was given."""
        return short(self.data.get("page", "").strip())


class TimelineForm(PagedForm):
    """The timeline's query string: ``year`` shows one year's milestones in full, page by page."""

    year = forms.IntegerField(required=False, min_value=1000, max_value=9999)

    def chosen_year(self):
        self.is_valid()
        return self.cleaned_data.get("year")

    def notices(self):
        notices = super().notices()
        if self.data.get("year") and self.chosen_year() is None:
            notices.append(
                _("There is no year “%(year)s”; showing every year.") % {"year": short(self.data["year"])}
            )
        return notices


class FacetForm(PagedForm):
    """A faceted list's parameters: one :class:`FacetField` per facet, and ``page``.

    ``options`` maps each parameter to the ``{slug: label}`` of its values, ``labels``
    each parameter to its label.
    """

    def __init__(self, query, options, labels, kept=()):
        super().__init__(query)
        self.labels = labels
        for param, values in options.items():
            self.fields[param] = FacetField(values, label=labels[param])
        for param in kept:
            self.fields[param] = ListField()

    def kept(self, param):
        """The values of a parameter the list keeps in its links but does not filter by."""
        self.is_valid()
        return self.cleaned_data.get(param, [])

    def choices(self):
        """{param: FacetChoice} for every facet."""
        self.is_valid()
        return {param: self.cleaned_data[param] for param in self.labels}

    def notices(self):
        notices = []
        for param, choice in self.choices().items():
            label = self.labels[param]
            if choice.asked > MAX_VALUES:
                notices.append(
                    _("Too many values for %(label)s (%(count)d); only the first %(max)d were read.")
                    % {"label": label, "count": choice.asked, "max": MAX_VALUES}
                )
            if choice.unknown:
                names = quoted(choice.unknown[:SHOWN_UNKNOWN])
                if len(choice.unknown) > SHOWN_UNKNOWN:
                    names += _(" and %(count)d more") % {"count": len(choice.unknown) - SHOWN_UNKNOWN}
                notices.append(
                    _("Not recognised: %(label)s %(values)s. It was not applied.")
                    % {"label": label, "values": names}
                )
        stray = self.stray()
        if stray:
            notices.append(
                _("Unknown parameter %(names)s was ignored; this page filters by %(known)s.")
                % {
                    "names": quoted(stray[:SHOWN_UNKNOWN]),
                    "known": join_list(f"{label} ({param})" for param, label in self.labels.items()),
                }
            )
        return notices


class SearchTextField(ListField):
    """The search text: repeated ``q`` values are joined; split into distinct terms (AND)."""

    default_error_messages = {
        "too_long": gettext_lazy("The search text is too long (at most %(max)d characters)."),
        "null": gettext_lazy("The search text contains a null character."),
        "too_many_terms": gettext_lazy("Use at most %(max)d search terms."),
    }

    def clean(self, value):
        text = " ".join(self.to_python(value))
        if len(text) > MAX_QUERY_LENGTH:
            raise ValidationError(
                self.error_messages["too_long"], code="too_long", params={"max": MAX_QUERY_LENGTH}
            )
        if "\x00" in text:
            raise ValidationError(self.error_messages["null"], code="null")
        terms = []
        for term in text.split():
            if term.casefold() not in (t.casefold() for t in terms):
                terms.append(term)
        if len(terms) > MAX_TERMS:
            raise ValidationError(
                self.error_messages["too_many_terms"], code="too_many_terms", params={"max": MAX_TERMS}
            )
        return text, terms


class SearchForm(PagedForm):
    """``q`` (the text), ``type`` (one record kind's key, optional) and ``page``."""

    q = SearchTextField()
    type = ListField()

    def __init__(self, query, kinds):
        super().__init__(query)
        self.kinds = kinds  # key -> Kind
        self.type_notice = None

    def clean_type(self):
        types = self.cleaned_data["type"]
        if len(types) > 1:
            self.type_notice = _("Choose one result type at a time; showing all types.")
            return None
        if types and types[0] not in self.kinds:
            self.type_notice = _("Unknown result type “%(type)s”; showing all types.") % {
                "type": short(types[0])
            }
            return None
        return self.kinds[types[0]] if types else None

    def query_error(self):
        """Why the search text cannot be searched, or None."""
        self.is_valid()
        errors = self.errors.get("q")
        return errors[0] if errors else None

    def notices(self):
        self.is_valid()
        notices = [*super().notices(), *filter(None, [self.type_notice])]
        if self.page_given() and not self.cleaned_data.get("type"):
            notices.append(
                _("Pages are for one result type at a time; showing the first results of every type.")
            )
        return notices


class SelfCheckForm(QueryForm):
    """The self-check's profile of a venture (``/self-check/?check=1&layer=…&factor=…``).

    ``check`` is a hidden field, so a form sent with nothing ticked is told what is missing
    rather than shown again as if never sent. Factors and challenges are offered from the
    case list's index (``{slug: title}``), so the form costs no query.
    """

    check = forms.CharField(widget=forms.HiddenInput, required=False)
    region = forms.ChoiceField(
        label=gettext_lazy("Where will you mainly operate?"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose where you will mainly operate.")},
    )
    layer = forms.ChoiceField(
        label=gettext_lazy("What will you build?"),
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what you will build.")},
    )
    sector = forms.ChoiceField(
        label=gettext_lazy("What is it for? (optional)"),
        widget=forms.RadioSelect,
        required=False,
    )
    customer = forms.ChoiceField(
        label=gettext_lazy("Who are your customers? (optional)"),
        widget=forms.RadioSelect,
        required=False,
    )
    access = forms.ChoiceField(
        label=gettext_lazy("How will customers get it? (optional)"),
        widget=forms.RadioSelect,
        required=False,
    )
    factor = forms.MultipleChoiceField(
        label=gettext_lazy("Success factors your team already has"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    challenge = forms.MultipleChoiceField(
        label=gettext_lazy("Challenges you expect"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, query, factors, challenges):
        super().__init__(query or None)
        self.fields["region"].choices = CaseStudy.Region.choices
        self.fields["layer"].choices = CaseStudy.Layer.choices
        self.fields["sector"].choices = CaseStudy.Sector.choices
        self.fields["customer"].choices = CaseStudy.Customer.choices
        self.fields["access"].choices = CaseStudy.Access.choices
        self.fields["factor"].choices = list(factors.items())
        self.fields["challenge"].choices = list(challenges.items())

    RECORD_VALUED = ("factor", "challenge")  # their choices are records' titles (Chinese)

    def answers(self):
        """(question, the chosen answers, whether they are records' titles) of a valid form, in
        the form's order, for the result page and its printout."""
        answers = []
        for name, form_field in self.fields.items():
            if name == "check":
                continue
            value = self.cleaned_data[name]
            labels = dict(form_field.choices)
            chosen = [str(labels[v]) for v in (value if isinstance(value, list) else [value]) if v]
            answers.append(
                (form_field.label, join_list(chosen) if chosen else "—", name in self.RECORD_VALUED)
            )
        return answers


class CompareForm(QueryForm):
    """The cases to compare, by slug (``/compare/?c=deepseek&c=moonshot-kimi``), in the order given."""

    c = ListField()
    diff = forms.BooleanField(required=False)
    add = SearchTextField()  # a case to add, by name: the best search match is added

    def to_add(self):
        """(text, terms) of the case to add, or a message when the text cannot be searched."""
        self.is_valid()
        if "add" in self.errors:
            return ("", []), self.errors["add"][0]
        return self.cleaned_data.get("add") or ("", []), None

    def slugs(self):
        self.is_valid()
        return self.cleaned_data.get("c", [])

    def only_differences(self):
        self.is_valid()
        return bool(self.cleaned_data.get("diff"))
