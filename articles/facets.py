"""Query-string facets: reading repeated parameters safely and building links.

The filter state of a list page lives in the query string
(``?factor=strong-team&tag=nlp``) so every view can be bookmarked and every
facet value is a plain link. Values are slugs; anything that is not a known
slug is reported back to the reader instead of being ignored silently.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

MAX_VALUES = 50  # per parameter; more is reported, not silently cut
SHOWN_UNKNOWN = 5  # unknown values named in a notice


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


@dataclass
class Facet:
    """One facet (a query parameter) with its values, chosen values and unknown values."""

    param: str
    label: str
    values: list = field(default_factory=list)
    unknown: list = field(default_factory=list)

    @property
    def chosen(self):
        return [value for value in self.values if value.selected]


class FacetSet:
    """Reads the facets of a request and builds toggle, chip and clear links.

    ``options`` maps each parameter to an ordered ``{slug: label}`` of the values
    that exist. Values asked for but not among them are collected as unknown.
    """

    def __init__(self, path, query, options, labels, other_params=("page",)):
        self.path = path
        self.options = options
        self.labels = labels
        self.notices = []
        requested = {}
        for param in options:
            values = clean_values(query.getlist(param))
            if len(values) > MAX_VALUES:
                self.notices.append(
                    _("Too many values for %(label)s (%(count)d); only the first %(max)d were read.")
                    % {"label": labels[param], "count": len(values), "max": MAX_VALUES}
                )
                values = values[:MAX_VALUES]
            requested[param] = values
        self.selected = {
            param: [slug for slug in requested[param] if slug in options[param]] for param in options
        }
        self.unknown = {
            param: [slug for slug in requested[param] if slug not in options[param]] for param in options
        }
        for param, unknown in self.unknown.items():
            if unknown:
                names = quoted(unknown[:SHOWN_UNKNOWN])
                if len(unknown) > SHOWN_UNKNOWN:
                    names += _(" and %(count)d more") % {"count": len(unknown) - SHOWN_UNKNOWN}
                self.notices.append(
                    _("Not recognised: %(label)s %(values)s. It was not applied.")
                    % {"label": labels[param], "values": names}
                )
        stray = [key for key in query if key not in options and key not in other_params]
        if stray:
            self.notices.append(
                _("Unknown parameter %(names)s was ignored; this page filters by %(known)s.")
                % {
                    "names": quoted(stray[:SHOWN_UNKNOWN]),
                    "known": join_list(f"{labels[param]} ({param})" for param in options),
                }
            )

    @property
    def has_unknown(self):
        """Some value asked for could not be applied; a clean link is offered."""
        return any(self.unknown.values())

    @property
    def is_filtered(self):
        return any(self.selected.values())

    def url_with(self, param, slug=None, remove=None):
        params = {name: list(values) for name, values in self.selected.items()}
        if slug is not None and slug not in params[param]:
            params[param].append(slug)
        if remove is not None:
            params[param] = [value for value in params[param] if value != remove]
        return build_url(self.path, params)

    @property
    def clean_url(self):
        """The current view without unknown values."""
        return build_url(self.path, self.selected)

    @property
    def clear_url(self):
        return self.path

    def facets(self, counts, any_of=()):
        """Facets with a count per value; ``counts`` maps param -> {slug: count}.

        In an ``any_of`` facet with a value chosen, another value adds results, so its
        count is shown as "+N".
        """
        facets = []
        for param, options in self.options.items():
            facet = Facet(param=param, label=self.labels[param], unknown=self.unknown[param])
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
        params["page"] = [str(number)]
        return build_url(self.path, params)
