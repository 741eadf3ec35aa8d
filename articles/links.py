"""Addresses of named URLs without a full ``reverse()`` per link.

A list page links hundreds of records; ``reverse()`` walks the resolver for each. Here a URL
name is reversed once per language, script prefix and URLconf with placeholder arguments, and
every later address is that template with the real values put in, quoted as ``reverse()``
quotes them. The arguments are the slugs and keys of saved records (already valid for their
converters), so the result is the address ``reverse()`` gives; ``tests/test_links.py`` holds
the two to each other.
"""

import re
from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# What reverse() leaves unquoted in a path argument (django.urls.resolvers.URLResolver).
SAFE = "!$&'()*+,;=/~:@"
# A placeholder per argument, valid for every converter the site uses (str, slug).
MARKER = re.compile(r"zzkbarg(\d+)zz")


@lru_cache(maxsize=512)
def _parts(url_name, names, language, script_prefix, urlconf):
    """The address of ``url_name`` as [text, argument name, text, argument name, …, text]."""
    address = reverse(
        url_name, urlconf=urlconf, kwargs={name: f"zzkbarg{i}zz" for i, name in enumerate(names)}
    )
    pieces = MARKER.split(address)  # texts at even positions, argument numbers at odd ones
    return tuple(piece if i % 2 == 0 else names[int(piece)] for i, piece in enumerate(pieces))


def url_for(url_name, **kwargs):
    """``reverse(url_name, kwargs=kwargs)``, from a template made once per language."""
    parts = _parts(url_name, tuple(sorted(kwargs)), get_language(), get_script_prefix(), get_urlconf())
    return "".join(
        part if i % 2 == 0 else quote(str(kwargs[part]), safe=SAFE) for i, part in enumerate(parts)
    )


def url_builder(url_name, *names):
    """A function of ``names`` (keyword arguments) giving ``url_for(url_name, …)``, for a loop:
    the language, script prefix and template are looked up once, not per address."""
    parts = _parts(url_name, tuple(sorted(names)), get_language(), get_script_prefix(), get_urlconf())

    def build(**kwargs):
        return "".join(
            part if i % 2 == 0 else quote(str(kwargs[part]), safe=SAFE) for i, part in enumerate(parts)
        )

    return build
