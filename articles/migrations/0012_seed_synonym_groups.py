"""The first synonym groups search uses; editors add and change them in the admin."""

from django.db import migrations

GROUPS = [
    ("Agent\nAI Agent\n智能体\nAI智能体", "智能体的中英文说法"),
    ("privacy\n隐私\n个人信息", "隐私与个人信息"),
    ("customer service\n客服\n智能客服", "客服"),
    ("LLM\nlarge language model\n大语言模型\n大模型", "大模型"),
    ("open source\n开源\nopen weights\n开放权重", "开源与开放权重"),
    ("coding\nprogramming\n编程\n代码", "编程"),
    ("funding\n融资", "融资"),
    ("valuation\n估值", "估值"),
    ("IPO\n上市", "上市"),
    ("acquisition\n收购\n并购", "收购"),
    ("copyright\n版权\n知识产权", "版权"),
    ("compute\n算力", "算力"),
    ("chip\n芯片", "芯片"),
    ("healthcare\nmedical\n医疗", "医疗"),
    ("education\n教育", "教育"),
    ("startup\n创业", "创业"),
    ("shut down\n关停\n倒闭", "关停"),
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("articles", "SynonymGroup")
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create(SynonymGroup(words=words, note=note) for words, note in GROUPS)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_synonym_groups")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
