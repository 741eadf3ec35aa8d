"""Re-render every stored body with the current Markdown renderer and sanitiser.

Bodies are stored as cleaned HTML (Entry.body_html). When the allow-list in
articles/rendering.py changes, a migration like this one brings stored HTML in
line; reversing it leaves the HTML as it is.
"""

from django.db import migrations

ENTRY_MODELS = (
    "Concept",
    "Advantage",
    "Advice",
    "Strategy",
    "Challenge",
    "SuccessFactor",
    "Resource",
    "CaseStudy",
    "Trend",
    "FAQ",
)


def rerender(apps, schema_editor):
    from articles.rendering import render_markdown

    for name in ENTRY_MODELS:
        model = apps.get_model("articles", name)
        for pk, body, html in model.objects.values_list("pk", "body", "body_html").iterator():
            fresh = render_markdown(body)
            if fresh != html:
                model.objects.filter(pk=pk).update(body_html=fresh)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True)]
