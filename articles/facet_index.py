"""An in-memory facet index, the way search engines facet: one bitmap per facet value.

A faceted list (cases, resources) must show the records that match the chosen values and,
for every value of every facet, how many would match with it. Done in SQL, that is an
aggregate over the link tables per facet per request, and its cost grows with the number
of records. Here each worker holds, per list, the records in display order and, per facet
value, a bitmap of the records that have it (a Python int used as a bitset: bit *i* is the
*i*-th record in display order). Filtering is AND/OR of bitmaps, a count is a popcount, and
the page is the first set bits after the offset, so a request costs microseconds of
integer operations whatever N is, and only the page's rows are read from the database.

The index is rebuilt when the content version changes (:mod:`articles.pagecache`), so it
is never stale; a rebuild reads every (record, value) pair once. Memory per worker is
about N/8 bytes per facet value plus the list of ids: at 100,000 cases and ~90 values,
about 1 MB of bitmaps and 4 MB of ids.
"""

import threading
from dataclasses import dataclass

_LOCK = threading.Lock()
_INDEXES = {}  # (list key, content version) -> FacetIndex


@dataclass
class FacetIndex:
    pks: list  # record ids in display order
    bits: dict  # param -> {slug: bitmap}
    options: dict  # param -> {slug: label}, in the order shown

    @property
    def everything(self):
        return (1 << len(self.pks)) - 1

    def selection(self, param, slugs, any_of):
        """Records with the chosen values of one facet: all of them (AND) or any of them (OR)."""
        if not slugs:
            return self.everything
        values = self.bits.get(param, {})
        if any_of:
            result = 0
            for slug in slugs:
                result |= values.get(slug, 0)
            return result
        result = self.everything
        for slug in slugs:
            result &= values.get(slug, 0)
        return result

    def search(self, selected, any_of=(), within=None):
        """(matching bitmap, {param: {slug: count}}) for the chosen values.

        A facet's counts are taken within the other facets' choices; in an AND facet also
        within its own (choosing a value narrows), in an OR facet not (choosing adds).
        ``within`` (a bitmap) limits everything, counts included, to those records.
        """
        scope = self.everything if within is None else within
        selections = {
            param: self.selection(param, slugs, param in any_of) for param, slugs in selected.items()
        }
        matching = scope
        for bits in selections.values():
            matching &= bits
        counts = {}
        for param in self.options:
            base = matching
            if param in any_of:
                base = scope
                for other, bits in selections.items():
                    if other != param:
                        base &= bits
            values = self.bits.get(param, {})
            counts[param] = {slug: (base & values.get(slug, 0)).bit_count() for slug in self.options[param]}
        return matching, counts

    def page_ids(self, bits, start, stop):
        """Ids of the matching records from ``start`` to ``stop`` in display order."""
        ids, position, seen = [], -1, 0
        text = format(bits, "b")[::-1] if bits else ""
        while seen < stop:
            position = text.find("1", position + 1)
            if position < 0:
                break
            if seen >= start:
                ids.append(self.pks[position])
            seen += 1
        return ids


def index_for(key, version, build):
    """The index of list ``key`` at content ``version``, built by ``build()`` when missing."""
    found = _INDEXES.get((key, version))
    if found is None:
        with _LOCK:
            found = _INDEXES.get((key, version))
            if found is None:
                found = build()
                for stale in [k for k in _INDEXES if k[0] == key]:
                    del _INDEXES[stale]
                _INDEXES[(key, version)] = found
    return found


def build_index(ordered_pks, pairs_by_param, options):
    """An index from the ids in display order and, per facet, (record id, value) pairs."""
    rank = {pk: position for position, pk in enumerate(ordered_pks)}
    size = len(rank) // 8 + 1
    bits = {}
    for param, pairs in pairs_by_param.items():
        buffers = {}
        for pk, slug in pairs:
            position = rank.get(pk)
            if position is not None and slug is not None:
                buffer = buffers.get(slug)
                if buffer is None:
                    buffer = buffers[slug] = bytearray(size)
                buffer[position >> 3] |= 1 << (position & 7)
        bits[param] = {slug: int.from_bytes(buffer, "little") for slug, buffer in buffers.items()}
    return FacetIndex(pks=list(ordered_pks), bits=bits, options=options)


class RankedPage:
    """The matching records as a sequence the Paginator can slice: only a page's rows are read."""

    def __init__(self, index, bits, rows):
        self.index, self.bits, self.rows = index, bits, rows
        self.total = bits.bit_count()

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("RankedPage supports slices only")
        ids = self.index.page_ids(self.bits, item.start or 0, item.stop or self.total)
        by_id = {row.pk: row for row in self.rows(ids)}
        return [by_id[pk] for pk in ids if pk in by_id]
