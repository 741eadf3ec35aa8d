"""Form fields shared by the admin."""

from django import forms


def normalize_newlines(value):
    """Browsers submit textareas with CRLF; store and compare text with LF only."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class TextAreaField(forms.CharField):
    """A textarea whose value has LF line endings, so an untouched field never counts as changed."""

    def to_python(self, value):
        return normalize_newlines(super().to_python(value))
