"""Which refunded settlement the same items settled again under another filing come from [003 art. 26]."""

from yibao.domain.resettle import RefundedSettlement, items_of, resettled_under_another_filing

A = items_of([("A01", 1_000_000)])  # A01, 10000.00
OLD = RefundedSettlement("S1", "M1", "", frozenset({"Z1"}), A)


def test_same_lines_or_same_items_under_another_filing_are_found() -> None:
    assert resettled_under_another_filing([OLD], "M1", ["Z1"], A, "F1") == OLD  # same visit, same line
    assert resettled_under_another_filing([OLD], "M2", ["Z9"], A, "F1") == OLD  # a new visit, the same items
    partly = items_of([("A01", 1_000_000), ("B02", 500)])
    assert resettled_under_another_filing([OLD], "M1", ["Z1", "Z2"], partly, "F1") == OLD  # a line of it


def test_the_same_filing_or_other_items_pass() -> None:
    assert resettled_under_another_filing([OLD], "M1", ["Z1"], A, "") is None  # a correction, same standard
    other = items_of([("A01", 500_000)])
    assert resettled_under_another_filing([OLD], "M2", ["Z5"], other, "F1") is None
    assert resettled_under_another_filing([], "M1", ["Z1"], A, "F1") is None
