"""Every interface string has a Chinese translation, compiled into the committed .mo file."""

import gettext
import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_compiled():
    text = PO.read_text(encoding="utf-8")
    entries = re.split(r"\n\n", text)[1:]  # skip the header
    untranslated = [
        entry
        for entry in entries
        if "#, fuzzy" in entry or re.search(r'msgstr(\[0\])? ""\n?$', entry.strip() + "\n")
    ]
    assert not untranslated
    with MO.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    pairs = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid "(.+)"$', text, flags=re.MULTILINE)
    missing = [
        msgid
        for context, msgid in pairs
        if "\\" not in msgid
        and (catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)) == msgid
    ]
    assert not missing, f"recompile with `make compilemessages`: {missing[:5]}"
