"""Two editors, one record: the second save over a newer version is refused, never silent.

The admin change form carries, in a signed hidden field, the record as it was when the
form was opened: its fixture form (:func:`articles.kb_io.export_record`), which includes its
inline rows, links and tags, so a change made anywhere (another editor's form, a row's own
admin page, ``load_kb``) counts. On save the record is read again, locked for the rest of the
transaction; if it differs from what the editor started from, the save is refused with what
changed, the editor's input stays in the form, and a link reloads the current version.

Timestamps are left out of the comparison: a save that changed nothing is no conflict.
This is a content check rather than a version column (as django-concurrency adds) because a
record's inline rows can also be edited from another record's page (a challenge's strategies
from the strategy), which no version column on the record would see.
"""

import json

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .kb_io import export_record, for_export
from .kinds import KINDS_BY_MODEL

SALT = "articles.concurrency.edit-base"
TIMESTAMPS = ("created", "updated")


def snapshot(model, pk, lock=False):
    """The record's content as a JSON-ready dict (None if it no longer exists)."""
    kind = KINDS_BY_MODEL.get(model)
    queryset = for_export(kind) if kind else model.objects.all()
    if lock:
        queryset = queryset.select_for_update()
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        return None
    if kind:
        data = export_record(kind, obj)
    else:
        data = {field.attname: field.value_from_object(obj) for field in model._meta.concrete_fields}
    data = {name: value for name, value in data.items() if name not in TIMESTAMPS}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _label(model, name):
    kind = KINDS_BY_MODEL.get(model)
    for child in kind.children if kind else ():
        if child.key == name:
            return str(child.model._meta.verbose_name_plural)
    if name == "tags":
        return _("tags")
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # an attname such as case_id
        return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def changes(model, before, after):
    """What differs between two snapshots, for an editor: "title (now “…”)", "lessons"."""
    described = []
    for name in after:
        if before.get(name) == after[name]:
            continue
        label = _label(model, name)
        value = after[name]
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            now = Truncator(str(value)).chars(60)
            described.append(_("%(field)s (now “%(value)s”)") % {"field": label, "value": now})
        else:
            described.append(label)
    return described


class ConcurrentEditForm(forms.ModelForm):
    """A model form that refuses to save over a version of the record newer than the one it opened."""

    edit_base = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            base = snapshot(type(self.instance), self.instance.pk)
            self.initial["edit_base"] = signing.dumps(base, salt=SALT, compress=True)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or self.instance._state.adding:
            return cleaned
        model = type(self.instance)
        try:
            base = signing.loads(self.data.get(self.add_prefix("edit_base"), ""), salt=SALT)
        except signing.BadSignature:
            raise ValidationError(
                _("This form lacks the version it was opened with. Reload the page and change it again."),
                code="no_base",
            ) from None
        current = snapshot(model, self.instance.pk, lock=True)
        if current is None or current == base:
            return cleaned
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[self.instance.pk]
        )
        raise ValidationError(
            format_html(
                '{} {} <a href="{}">{}</a>',
                _(
                    "Someone else saved this record after you opened it, so your changes were not saved; "
                    "they are still in the form below. Changed since you opened it: %(changes)s."
                )
                % {"changes": pgettext("list separator", ", ").join(changes(model, base, current))},
                _("Copy what you need, then"),
                url,
                _("reload the current version"),
            ),
            code="conflict",
        )
