"""Readers' reports: the form, and the checks that keep abuse out (honeypot, a rate limit per
address in the shared cache, length limits, validated addresses)."""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from . import models as m
from .kinds import KINDS_BY_PREFIX

MESSAGE_MIN, MESSAGE_MAX = 10, 2000
RATE_WINDOW = 3600  # seconds


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you want to tell us?"), choices=m.ReaderReport.Kind.choices, widget=forms.RadioSelect
    )
    message = forms.CharField(
        label=_("Your message"),
        min_length=MESSAGE_MIN,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is wrong and what is right, or which company and why a founder learns from it."),
    )
    source_url = forms.URLField(
        label=_("A source that shows it (optional)"),
        required=False,
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        assume_scheme="https",
    )
    contact = forms.CharField(
        label=_("How we can reach you (optional)"),
        required=False,
        max_length=200,
        help_text=_("Only the editors see it, and only to ask about your report."),
    )
    # A field people never see (hidden by the stylesheet and from screen readers): bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def is_spam(self):
        return bool(self.data.get("website"))


def record_for(about):
    """The record ``about`` ("case/openai-gpt3", its ``report_about``) names, or None."""
    prefix, _slash, slug = (about or "").partition("/")
    kind = KINDS_BY_PREFIX.get(prefix)
    if kind is None or not slug:
        return None
    return kind.model.objects.filter(slug=slug).first()


def rate_limited(address):
    """Count one report from ``address``; True when it has sent more than its share this hour."""
    key = "report-rate:" + hashlib.sha256(address.encode(), usedforsecurity=False).hexdigest()[:32]
    if cache.add(key, 1, RATE_WINDOW):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, RATE_WINDOW)
            count = 1
    return count > settings.KB_REPORTS_PER_HOUR
