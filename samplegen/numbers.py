"""Table values that satisfy the report identities, and how a report prints them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from samplegen.labels import T2_2019, T2_2021, T4_LEAVES
from samplegen.phrases import fullwidth

Matrix = tuple[tuple[int, ...], ...]

# relative frequency of result rows (2019 layout order without the （七）总计 row); zero weight = rare
RESULT_WEIGHTS = {
    "（一）予以公开": 10.0,
    "（二）": 4.0,
    "1.属于国家秘密": 0.2,
    "2.其他法律": 0.3,
    "3.危及": 0.2,
    "4.保护第三方": 0.6,
    "5.属于三类": 0.5,
    "6.属于四类": 0.8,
    "7.属于行政执法": 0.3,
    "8.属于行政查询": 0.4,
    "1.本机关不掌握": 5.0,
    "2.没有现成": 1.0,
    "3.补正后": 0.8,
    "1.信访举报": 1.0,
    "2.重复申请": 1.0,
    "3.要求提供公开出版物": 0.2,
    "4.无正当理由": 0.3,
    "5.要求行政机关确认": 0.3,
    "（六）其他处理": 1.5,
    "1.申请人无正当理由": 1.0,
    "2.申请人逾期未按": 0.2,
    "3.其他": 0.8,
}
COLUMN_ODDS = (1.0, 0.35, 0.05, 0.05, 0.2, 0.3)  # chance an applicant column is non-zero
COLUMN_SHARE = (1.0, 0.15, 0.03, 0.03, 0.08, 0.08)


def _weight(leaf: str) -> float:
    for prefix, w in RESULT_WEIGHTS.items():
        if leaf.startswith(prefix):
            return w
    return 0.5


def split(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Split total into len(weights) non-negative parts, roughly proportional to weights."""
    if total == 0 or not any(weights):
        return [0] * len(weights)
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    live = [i for i, w in enumerate(weights) if w > 0]
    for _ in range(total - sum(parts)):
        parts[rng.choices(live, weights=[weights[i] for i in live])[0]] += 1
    return parts


def request_scale(rng: random.Random, kind: str) -> int:
    """Total new requests of a report, by office level."""
    if kind in ("street", "town"):
        return rng.choices((0, rng.randint(1, 5), rng.randint(5, 30)), weights=(4, 5, 2))[0]
    if kind in ("county", "department", "zone"):
        return rng.choices((0, rng.randint(1, 20), rng.randint(20, 300)), weights=(1, 5, 3))[0]
    return rng.choices((rng.randint(10, 200), rng.randint(200, 5000)), weights=(1, 2))[0]


def make_t3(rng: random.Random, leaves: list[str], kind: str) -> Matrix:
    """Rows: 新收, 结转, result rows (leaves), （七）总计, 结转下年度; columns: six applicant kinds + 总计."""
    total_new = request_scale(rng, kind)
    live_cols = [rng.random() < odds for odds in COLUMN_ODDS]
    shares = [
        s * rng.uniform(0.5, 1.5) if live else 0.0 for s, live in zip(COLUMN_SHARE, live_cols, strict=True)
    ]
    new = split(rng, total_new, shares)
    carried = [rng.choice((0, 0, 0, n // 10, min(n, rng.randint(0, 3)))) for n in new]
    chosen = [_weight(leaf) * rng.random() ** 2 if rng.random() < 0.6 else 0.0 for leaf in leaves]
    chosen[0] = chosen[0] or 1.0
    results: list[list[int]] = [[0] * 6 for _ in leaves]
    forward = [0] * 6
    for c in range(6):
        pool = new[c] + carried[c]
        forward[c] = min(pool, rng.choice((0, 0, 0, pool // 12, rng.randint(0, 2))))
        for r, n in enumerate(split(rng, pool - forward[c], chosen)):
            results[r][c] = n
    processed = [sum(results[r][c] for r in range(len(leaves))) for c in range(6)]
    rows = [new, carried, *results, processed, forward]
    return tuple((*row, sum(row)) for row in rows)


def make_t4(rng: random.Random, kind: str) -> Matrix:
    """Three groups (行政复议, 未经复议直接起诉, 复议后起诉) of 结果维持/纠正/其他/尚未审结 + 总计."""
    big = kind in ("city", "province_office")
    groups = []
    for _ in range(3):
        if rng.random() < (0.6 if big else 0.2):
            parts = [rng.choice((0, 0, rng.randint(1, 12 if big else 3))) for _ in range(4)]
            if big and rng.random() < 0.3:
                parts = [p * rng.randint(3, 15) for p in parts]
        else:
            parts = [0, 0, 0, 0]
        groups.append((*parts, sum(parts)))
    return tuple(groups)


@dataclass(frozen=True)
class ValueStyle:
    zero: str  # how t3 zeros in the organisation columns are printed: "0", "", "-"
    fullwidth: bool  # some values printed with full-width digits
    plus_sign: bool  # 2019 本年增/减 prints "+3"


def draw_value_style(rng: random.Random) -> ValueStyle:
    return ValueStyle(
        zero=rng.choices(("0", "", "-"), weights=(30, 1, 1))[0],
        fullwidth=rng.random() < 0.05,
        plus_sign=rng.random() < 0.5,
    )


def print_int(rng: random.Random, n: int, style: ValueStyle, org_column: bool = False) -> str:
    if n == 0 and org_column and style.zero != "0":
        return style.zero
    s = str(n)
    return fullwidth(s) if style.fullwidth and rng.random() < 0.3 else s


def print_matrix(
    rng: random.Random, m: Matrix, style: ValueStyle, org_cols: tuple[int, ...]
) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(print_int(rng, v, style, c in org_cols) for c, v in enumerate(row)) for row in m)


def _amount(rng: random.Random, lo: float, hi: float, decimals: int) -> str:
    return f"{rng.uniform(lo, hi):.{decimals}f}"


def _na(rng: random.Random) -> str:
    return rng.choice(("0", "0", "/", "-", ""))


def make_t2(rng: random.Random, fmt: str, kind: str, style: ValueStyle) -> dict[tuple[str, str, str], str]:
    """Printed 表二 values keyed by (section item, row, col)."""
    high = kind in ("city", "province_office")
    mid = kind in ("county", "department", "zone")
    can_rules = high
    factor = 1000 if high else (50 if mid else 3)
    out: dict[tuple[str, str, str], str] = {}
    sections = T2_2021 if fmt == "2021" else T2_2019
    na = _na(rng)
    for sec in sections:
        for row in sec.rows:
            for col in sec.cols:
                out[(sec.item, row, col)] = _t2_value(rng, row, col, can_rules, factor, na, style)
    return out


def _t2_value(
    rng: random.Random, row: str, col: str, can_rules: bool, factor: int, na: str, style: ValueStyle
) -> str:
    if row == "规章" and not can_rules:
        return na
    if col == "本年收费金额（单位：万元）":
        return rng.choice(("0", _amount(rng, 0.5, 5.0 * factor, rng.choice((1, 2, 2)))))
    if col == "采购总金额":
        if rng.random() < 0.5:
            return _amount(rng, 1e4, 1e6 * factor, 2) + rng.choice(("元", ""))
        return _amount(rng, 1, 100 * factor, rng.choice((2, 4))) + "万元"
    if col == "本年增/减":
        n = rng.choice((0, 0, rng.randint(1, 30), -rng.randint(1, 20)))
        return f"+{n}" if n > 0 and style.plus_sign else str(n)
    if row in ("规章", "规范性文件", "行政规范性文件"):
        n = rng.randint(0, 3 if factor < 10 else 40)
        if col in ("现行有效件数", "对外公开总数量"):
            n += rng.randint(0, 10 * (1 + n))
        return print_int(rng, n, style)
    if col == "采购项目数量":
        return str(rng.randint(0, 2 * factor))
    if row == "行政事业性收费":
        return str(rng.randint(0, 40)) if rng.random() < 0.8 else na
    n = rng.choice((0, rng.randint(0, 20 * factor), rng.randint(0, 200 * factor)))
    return print_int(rng, n, style)


FOLD = str.maketrans("０１２３４５６７８９", "0123456789")


def fullwidth_fold(s: str) -> str:
    return s.translate(FOLD)


def parse(s: str) -> int:
    """Printed integer (full-width or not) as an int; blank, '/' and '-' count as 0."""
    t = fullwidth_fold(s).strip()
    return int(t) if t.lstrip("+-").isdigit() else 0


def t4_violations(t4: tuple[tuple[str, ...], ...], groups: list[str]) -> list[str]:
    """data_quality lines for t4 groups whose 4 parts do not add up to the printed 总计."""
    out = []
    for name, row in zip(groups, t4, strict=True):
        parts = [parse(v) for v in row[:4]]
        if sum(parts) != parse(row[4]):
            terms = " + ".join(f"{leaf} {p}" for leaf, p in zip(T4_LEAVES[:4], parts, strict=True))
            out.append(f"t4: {name}: {terms} = {sum(parts)}, but 总计 printed {row[4]}")
    return out


def t3_violations(t3: tuple[tuple[str, ...], ...], row_names: list[str], col_names: list[str]) -> list[str]:
    """data_quality lines for the t3 identities that the printed values break."""
    v = [[parse(x) for x in row] for row in t3]
    out = []
    for r, row in enumerate(v):
        if sum(row[:6]) != row[6]:
            out.append(
                f"t3: row {row_names[r]}: the six applicant columns sum to {sum(row[:6])}, "
                f"but 总计 printed {t3[r][6]}"
            )
    for c in range(7):
        results = sum(v[r][c] for r in range(2, len(v) - 2))
        if results != v[-2][c]:
            out.append(
                f"t3: column {col_names[c]}: result rows sum to {results}, but （七）总计 printed {t3[-2][c]}"
            )
        if v[0][c] + v[1][c] != v[-2][c] + v[-1][c]:
            out.append(
                f"t3: column {col_names[c]}: 一 + 二 = {v[0][c] + v[1][c]}, "
                f"but （七）总计 + 四 = {v[-2][c] + v[-1][c]}"
            )
    return out


def inject_error(rng: random.Random, t3: Matrix, t4: Matrix) -> tuple[Matrix, Matrix]:
    """Deliberately misprint one figure, as real reports sometimes do."""
    kind = rng.choice(("t4_total_zero", "t3_row_total", "t3_processed"))
    if kind == "t4_total_zero":
        g = rng.randrange(3)
        parts = list(t4[g][:4])
        parts[0] = parts[0] or rng.randint(1, 9)
        groups = list(t4)
        groups[g] = (*parts, 0)
        return t3, tuple(groups)
    rows = [list(r) for r in t3]
    if kind == "t3_row_total":
        r = rng.randrange(len(rows))
        rows[r][6] += rng.choice((1, 2, 10, -1)) if rows[r][6] > 0 else 1
    else:
        rows[-2][0] += rng.choice((1, 2, 6))
        rows[-2][6] = sum(rows[-2][:6])
    return tuple(tuple(r) for r in rows), t4
