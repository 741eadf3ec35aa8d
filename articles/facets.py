"""Facets of a list page: the chosen values, their counts, and the links that change them.

The filter state of a list page lives in the query string
(``?factor=strong-team&tag=nlp``) so every view can be bookmarked and every
facet value is a plain link. The values are read by :class:`~articles.params.FacetForm`;
anything that is not a known slug is reported back to the reader instead of
being ignored silently. Every facet link of the site is built by :func:`build_url`
(templates use the ``query_url`` tag).
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils import translation
from django.utils.translation import gettext as _

from .markup import html, join
from .params import FacetForm


def build_url(path, params):
    """``path`` with ``params`` (name -> list of values) as a query string; empty lists dropped."""
    pairs = [(name, value) for name, values in params.items() for value in values]
    return f"{path}?{urlencode(pairs)}" if pairs else path


@dataclass
class FacetValue:
    slug: str
    label: str
    count: int
    selected: bool
    url: str  # toggles this value
    additive: bool = False  # choosing it adds results (an OR facet with a choice made)


RECORD_VALUED = ("factor", "challenge", "tag")  # facets whose values are records' titles (Chinese)


@dataclass
class Facet:
    """One facet (a query parameter) with its values."""

    param: str
    label: str
    values: list = field(default_factory=list)

    def values_html(self):
        """The facet's values as list items, built here rather than per value in a template loop
        (a list page shows about a hundred of them): the same markup ``_facets.html`` describes."""
        value_lang = self.param in RECORD_VALUED and translation.get_language() != "zh-hans"
        matching, would_add = str(_("matching:")), str(_("would add:"))
        items = []
        for value in self.values:
            label = html('<span lang="zh-Hans">{}</span>', value.label) if value_lang else value.label
            if value.selected:
                item = html(
                    '<li><a class="facet-value is-selected" href="{}" aria-current="true" data-facet="{}" '
                    'data-value="{}"><span class="check" aria-hidden="true">✓</span> {} <span class="count">'
                    '<span class="visually-hidden">{} </span>{}</span></a></li>',
                    value.url,
                    self.param,
                    value.slug,
                    label,
                    matching,
                    value.count,
                )
            elif value.count:
                item = html(
                    '<li><a class="facet-value" href="{}" data-facet="{}" data-value="{}">{} '
                    '<span class="count">'
                    '<span class="visually-hidden">{} </span>{}{}</span></a></li>',
                    value.url,
                    self.param,
                    value.slug,
                    label,
                    would_add if value.additive else matching,
                    "+" if value.additive else "",
                    value.count,
                )
            else:
                item = html(
                    '<li><span class="facet-value is-empty" data-facet="{}" data-value="{}">{} '
                    '<span class="count"><span class="visually-hidden">{} </span>0</span></span></li>',
                    self.param,
                    value.slug,
                    label,
                    matching,
                )
            items.append(item)
        return join(items)


class FacetSet:
    """The facets of a request, and the toggle, chip, clear and page links.

    ``options`` maps each parameter to an ordered ``{slug: label}`` of the values
    that exist; ``labels`` each parameter to its label.
    """

    def __init__(self, path, query, options, labels, kept=()):
        self.path = path
        self.options = options
        self.labels = labels
        self.form = FacetForm(query, options, labels, kept=kept)
        # Parameters every link keeps without filtering by them (the case list's comparison, ``c``).
        self.kept = {param: self.form.kept(param) for param in kept}
        choices = self.form.choices()
        self.selected = {param: choice.selected for param, choice in choices.items()}
        self.has_unknown = any(choice.unknown for choice in choices.values())
        self.notices = self.form.notices()

    def url_with(self, param, slug=None, remove=None):
        params = {name: list(values) for name, values in self.selected.items()}
        if slug is not None and slug not in params[param]:
            params[param].append(slug)
        if remove is not None:
            params[param] = [value for value in params[param] if value != remove]
        return build_url(self.path, {**params, **self.kept})

    def url_keeping(self, **kept):
        """The current view with other values of the kept parameters (e.g. ``c=[…]``)."""
        return build_url(self.path, {**self.selected, **self.kept, **kept})

    @property
    def clean_url(self):
        """The current view without unknown values."""
        return build_url(self.path, {**self.selected, **self.kept})

    @property
    def clear_url(self):
        return build_url(self.path, self.kept)

    def facets(self, counts, any_of=()):
        """Facets with a count per value; ``counts`` maps param -> {slug: count}.

        In an ``any_of`` facet with a value chosen, another value adds results, so its
        count is shown as "+N".
        """
        facets = []
        for param, options in self.options.items():
            facet = Facet(param=param, label=self.labels[param])
            additive = param in any_of and bool(self.selected[param])
            for slug, label in options.items():
                selected = slug in self.selected[param]
                url = self.url_with(param, remove=slug) if selected else self.url_with(param, slug)
                count = counts[param].get(slug, 0)
                facet.values.append(
                    FacetValue(slug, label, count, selected, url, additive=additive and not selected)
                )
            facets.append(facet)
        return facets

    def chips(self):
        """Chosen values as (facet label, value label, url without it)."""
        return [
            (self.labels[param], self.options[param][slug], self.url_with(param, remove=slug))
            for param, slugs in self.selected.items()
            for slug in slugs
        ]

    def page_url(self, number):
        params = {name: list(values) for name, values in self.selected.items()}
        params.update(self.kept)
        params["page"] = [str(number)]
        return build_url(self.path, params)
