"""The in-memory facet index: exact matches, counts and pages on a small hand-made index."""

from articles.facet_index import RankedPage, build_index, index_for

# Five records in display order 50, 40, 30, 20, 10.
INDEX = build_index(
    [50, 40, 30, 20, 10],
    {
        "factor": [(50, "team"), (40, "team"), (40, "money"), (30, "money"), (20, "team"), (99, "team")],
        "outcome": [(50, "live"), (40, "sold"), (30, "live"), (20, "shut"), (10, "live")],
    },
    {
        "factor": {"team": "Team", "money": "Money"},
        "outcome": {"live": "Live", "sold": "Sold", "shut": "Shut"},
    },
)


def ids(bits):
    return INDEX.page_ids(bits, 0, 100)


def test_nothing_chosen_matches_everything_and_counts_every_value():
    matching, counts = INDEX.search({"factor": [], "outcome": []}, any_of=("outcome",))
    assert ids(matching) == [50, 40, 30, 20, 10]
    assert counts == {"factor": {"team": 3, "money": 2}, "outcome": {"live": 3, "sold": 1, "shut": 1}}


def test_values_of_an_and_facet_narrow_and_counts_stay_within_the_result():
    matching, counts = INDEX.search({"factor": ["team", "money"], "outcome": []}, any_of=("outcome",))
    assert ids(matching) == [40]
    assert counts == {"factor": {"team": 1, "money": 1}, "outcome": {"live": 0, "sold": 1, "shut": 0}}


def test_values_of_an_or_facet_add_and_its_counts_ignore_its_own_choice():
    matching, counts = INDEX.search({"factor": ["team"], "outcome": ["live", "shut"]}, any_of=("outcome",))
    assert ids(matching) == [50, 20]
    # Outcome counts are within factor=team only: each says what choosing it would add or keep.
    assert counts["outcome"] == {"live": 1, "sold": 1, "shut": 1}
    assert counts["factor"] == {"team": 2, "money": 0}


def test_unknown_values_and_records_outside_the_list_match_nothing():
    matching, _counts = INDEX.search({"factor": ["nope"], "outcome": []})
    assert matching == 0 and ids(matching) == []
    assert INDEX.search({"factor": [], "outcome": ["nope"]}, any_of=("outcome",))[0] == 0


def test_pages_are_slices_in_display_order_and_only_their_rows_are_read():
    matching, _counts = INDEX.search({"factor": [], "outcome": ["live"]}, any_of=("outcome",))
    asked = []

    def rows(wanted):
        asked.append(list(wanted))
        return [type("Row", (), {"pk": pk})() for pk in reversed(wanted)]

    page = RankedPage(INDEX, matching, rows)
    assert len(page) == 3
    assert [row.pk for row in page[1:3]] == [30, 10]
    assert asked == [[30, 10]]
    assert INDEX.page_ids(matching, 2, 10) == [10]


def test_an_index_is_built_once_per_content_version():
    built = []

    def build():
        built.append(1)
        return INDEX

    assert index_for("test-list", "v1", build) is INDEX
    assert index_for("test-list", "v1", build) is INDEX
    assert len(built) == 1
    index_for("test-list", "v2", build)
    assert len(built) == 2
