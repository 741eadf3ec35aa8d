#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path

LOCAL_SECRET_KEY = Path(__file__).resolve().parent / ".secret_key"


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    # In a checkout where `make` has generated the local development key, commands run as
    # they do under make. Deployments set DJANGO_SECRET_KEY, which always wins; the web
    # server (kb/wsgi.py) never reads this file.
    if not os.environ.get("DJANGO_SECRET_KEY") and LOCAL_SECRET_KEY.is_file():
        os.environ["DJANGO_SECRET_KEY"] = LOCAL_SECRET_KEY.read_text().strip()

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load settings now, so a bad one is reported clearly
    except ImproperlyConfigured as exc:
        sys.exit(f"manage.py: {exc}\nRun `make run` or `make test` once, or set the variables in README.md.")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
