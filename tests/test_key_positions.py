"""Keys by position where OCR left a label unreadable (pure; the corpus case is in test_ocr_*)."""

from __future__ import annotations

from pipeline.facts.key_positions import (
    Keys,
    fill_gaps,
    keys_by_position,
    t3_columns,
    t3_row_orders,
    t4_slots,
)


def test_one_unread_row_between_read_ones_is_known_by_order() -> None:
    slots = ["new_received", "carried_over", None, "partially_granted"]
    assert fill_gaps(slots, t3_row_orders())[2] == "granted"


def test_a_count_that_does_not_fit_fills_nothing() -> None:
    # two unread rows where the order has one: the report added or split a row
    slots = ["new_received", None, None, "granted"]
    assert fill_gaps(slots, t3_row_orders()) == slots


def test_the_2019_and_2021_rows_of_other_are_told_apart_by_count() -> None:
    head = ["not_processed.confirmation"]
    tail = ["total_processed", "carried_forward"]
    assert fill_gaps([*head, None, *tail], t3_row_orders())[1] == "other"
    assert fill_gaps([*head, None, None, None, *tail], t3_row_orders())[1:4] == [
        "other.no_correction",
        "other.no_fee_paid",
        "other.other",
    ]


def test_columns_and_t4_slots() -> None:
    assert fill_gaps(["natural_person", None, "research"], [t3_columns()])[1] == "commercial"
    cells = [(3, c) for c in range(5)]
    keys = [
        ("review", "maintained"),
        ("review", "corrected"),
        ("review", "other"),
        ("review", None),
        ("review", "total"),
    ]
    assert keys_by_position("t4", cells, keys)[3] == ("review", "pending")


def test_t2_columns_ocr_could_not_read_follow_the_row_order() -> None:
    # 规章 | 24 | 25 | 201 with headers read as 本年新外 / 本年新公了 / 对外公开总敌量 (seen on a scan):
    # only 对外公开总数量 matched, which only the 2019 layout has; 行政许可's headers all unread
    cells = [(1, 1), (1, 2), (1, 3), (3, 1), (3, 2), (3, 3)]
    keys: list[tuple[str | None, str | None]] = [
        (None, None),
        (None, None),
        ("rules", "total_published"),
        (None, None),
        (None, None),
        (None, None),
    ]
    row_keys = ["rules", "rules", "rules", "licensing", "licensing", "licensing"]
    assert keys_by_position("t2", cells, keys, row_keys) == [
        ("rules", "made"),
        ("rules", "published"),
        ("rules", "total_published"),
        ("licensing", "prior_year_items"),
        ("licensing", "change"),
        ("licensing", "decisions"),
    ]


def test_t2_rows_stay_unknown_when_the_format_is_not_known() -> None:
    # 2019 (made, published, total_published) and 2021 (issued, repealed, in_force) both fit
    cells = [(1, 1), (1, 2), (1, 3)]
    keys: list[tuple[str | None, str | None]] = [(None, None)] * 3
    assert keys_by_position("t2", cells, keys, ["rules"] * 3) == keys
    # a row with more values than its columns: nothing is guessed
    wide = [(1, c) for c in range(1, 5)]
    assert (
        keys_by_position("t2", wide, [(None, None)] * 3 + [("rules", "made")], ["rules"] * 4)[:3]
        == [(None, None)] * 3
    )


def _t2_rows(
    rows: list[tuple[str | None, int]],
) -> tuple[list[tuple[int, int]], list[Keys], list[str | None]]:
    """Value cells of 表二 rows (row key or None if its label was unread, number of values); only
    规章's and 行政许可's column labels read (they say the layout is 2021's)."""
    read = {"rules": ("issued", "repealed", "in_force"), "licensing": ("decisions",)}
    cells: list[tuple[int, int]] = []
    keys: list[Keys] = []
    row_keys: list[str | None] = []
    for grid_row, (row, n) in enumerate(rows, start=2):
        for c in range(n):
            cols = read.get(row or "", ())
            cells.append((grid_row, c + 1))
            keys.append((row, cols[c]) if c < len(cols) else (None, None))
            row_keys.append(row)
    return cells, keys, row_keys


def test_t2_rows_whose_labels_were_not_read_take_their_place_in_the_order() -> None:
    # a 2021 表二 under a toner patch (seen, seed 31): 行政规范性文件 read 和下规范 and 行政处罚 位政处困
    got = keys_by_position(
        "t2", *_t2_rows([("rules", 3), (None, 3), ("licensing", 1), (None, 1), ("coercion", 1), ("fees", 1)])
    )
    assert got[3:6] == [("normative_documents", k) for k in ("issued", "repealed", "in_force")]
    assert got[7:9] == [("penalty", "decisions"), ("coercion", "decisions")]
    # two unread rows where the order has one: neither is guessed
    got = keys_by_position(
        "t2", *_t2_rows([("rules", 3), ("licensing", 1), (None, 1), (None, 1), ("coercion", 1)])
    )
    assert got[4:6] == [(None, None), (None, None)]


def test_a_column_split_by_a_false_rule_still_fits_the_order() -> None:
    """A photocopy's false rule split 表三's 其他 column in two, both keyed other_org; the garbled
    法律服务机构 (read 务机构) beside it is still known by order. The same key on slots apart is
    no split: nothing is filled."""
    slots = [
        "natural_person",
        "commercial",
        "research",
        "social_welfare",
        None,
        "other_org",
        "other_org",
        "total",
    ]
    assert fill_gaps(slots, [t3_columns()])[4] == "legal_services"
    apart = ["natural_person", "commercial", None, "commercial", "total"]
    assert fill_gaps(apart, [t3_columns()]) == apart


def test_a_t4_column_keyed_as_an_earlier_one_is_keyed_by_place() -> None:
    """表四's 未经复议直接起诉 garbled to a header whose 复议 keyed its five columns as 行政复议's again:
    each column is printed once, so the second set is known by its place between 行政复议 and
    复议后起诉."""
    cols = ["maintained", "corrected", "other", "pending", "total"]
    rows = ["review", "review", "litigation_after_review"]
    keys = [(row, col) for row in rows for col in cols]
    cells = [(3, c) for c in range(15)]
    found = keys_by_position("t4", cells, keys)
    assert found[5:10] == [("litigation_direct", col) for col in cols]
    assert found[:5] == keys[:5] and found[10:] == keys[10:]


def _t3_rows(printed: list[str]) -> list[str | None]:
    """Row keys of a 表三 slice of rows keyed as `printed` (two value cells a row)."""
    cells = [(r, c) for r in range(len(printed)) for c in (1, 2)]
    keys: list[Keys] = [(printed[r], "natural_person" if c == 1 else "total") for r, c in cells]
    return [k[0] for k in keys_by_position("t3", cells, keys)][::2]


def test_a_row_keyed_as_the_one_above_takes_the_key_of_its_place() -> None:
    # seen on a photocopy: the rule between 1.信访举报投诉类申请 and 2.重复申请 lost with the "2.",
    # one label cell over both rows read 1.信访举报投诉类申请重复申请
    printed = ["not_processed.complaint", "not_processed.complaint", "not_processed.publication"]
    assert _t3_rows(printed) == [
        "not_processed.complaint",
        "not_processed.duplicate",
        "not_processed.publication",
    ]


def test_a_row_split_by_a_false_rule_keeps_its_key() -> None:
    printed = ["not_processed.complaint", "not_processed.complaint", "not_processed.duplicate"]
    assert _t3_rows(printed) == printed


def test_a_t4_with_every_column_is_keyed_by_place_where_a_label_misleads() -> None:
    # seen at 150 dpi: 行政复议 read 和 (two columns unkeyed), 复议后起诉 read 复议后走 — its
    # columns keyed as 行政复议's, out of order, so no gap could be filled
    slots = t4_slots()
    read: list[Keys] = list(slots)
    read[0] = read[1] = read[8] = read[9] = read[13] = read[14] = (None, None)
    read[10:13] = [("review", col) for col in ("maintained", "corrected", "other")]
    cells = [(3, c) for c in range(len(slots))]
    assert keys_by_position("t4", cells, read) == list(slots)


def test_a_part_of_t3_on_the_next_page_follows_the_part_before_it() -> None:
    # seen on a photocopy: 表三 not joined across the page break; the next page's part began with
    # two rows whose labels OCR garbled (本年左办果 / (一上予以公开), nothing read above them
    cells = [(r, 1) for r in range(3)]
    keys: list[Keys] = [
        (None, "natural_person"),
        (None, "natural_person"),
        ("denied.state_secret", "natural_person"),
    ]
    alone = [k[0] for k in keys_by_position("t3", cells, keys)]
    assert alone == [None, None, "denied.state_secret"]
    after = [k[0] for k in keys_by_position("t3", cells, keys, after="carried_over")]
    assert after == ["granted", "partially_granted", "denied.state_secret"]
