"""Text output read by people: numbers, durations, tables, the status panel and show().

Each expectation follows from the rule the function documents (separators from 10,000 on, one
decimal for seconds from 1 s on, three significant digits below, ...), checked at the values
where the rule switches, and on the falsy values (0, "", no rows) a box meets first.
"""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulations import LatencyStats, display, show, status_panel
from simulations._format import clock, count, num, plural, seconds, table
from simulations.panel import LOW_BELOW, MEDIUM_BELOW, latency_level

# -- count and plural ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0"), (999, "999"), (1000, "1,000"), (3600, "3,600"), (-1234, "-1,234")]
)
def test_count_groups_thousands(n, text):
    assert count(n) == text


@pytest.mark.parametrize(
    ("n", "text"), [(0, "0 runs"), (1, "1 run"), (2, "2 runs"), (1000, "1,000 runs")]
)
def test_plural_says_one_run_and_any_other_count_runs(n, text):
    assert plural(n, "run") == text


# -- seconds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0, "0.0s"),  # zero is a whole duration, not "0s" of three significant digits
        (0.0, "0.0s"),
        (1, "1.0s"),  # from 1 s on: one decimal
        (-1, "-1.0s"),
        (1799.5, "1799.5s"),
        (0.999, "0.999s"),  # below 1 s: three significant digits
        (0.0123, "0.0123s"),
        (-0.5, "-0.5s"),
        (0.00012345, "0.000123s"),
        (math.inf, "infs"),
        (-math.inf, "-infs"),
        (math.nan, "nans"),
    ],
)
def test_seconds_switch_from_significant_digits_to_one_decimal_at_one_second(x, text):
    assert seconds(x) == text


# -- clock ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0, "00:00:00"),
        (59, "00:00:59"),
        (60, "00:01:00"),
        (3599, "00:59:59"),
        (3600, "01:00:00"),
        (3661, "01:01:01"),
        (90_000, "25:00:00"),  # hours go past a day
        (1.0, "00:00:01"),  # a whole float is a whole period: no note
        (59.5, "00:01:00 (59.5s)"),  # rounded to the second, the exact period beside it
        (0.25, "00:00:00 (0.25s)"),
    ],
)
def test_clock_writes_hours_minutes_seconds(x, text):
    assert clock(x) == text


@given(st.integers(min_value=0, max_value=10**7))
def test_clock_reads_back_as_the_same_number_of_seconds(total):
    hours, minutes, secs = (int(part) for part in clock(total).split(":"))
    assert hours * 3600 + minutes * 60 + secs == total
    assert 0 <= minutes < 60 and 0 <= secs < 60


# -- num -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (0, "0"),
        (0.0, "0"),
        (-0.0, "0"),
        (7, "7"),
        (3.0, "3"),  # a whole float is written as an integer
        (9999, "9999"),  # separators from 10,000 on
        (10_000, "10,000"),
        (-10_000, "-10,000"),
        (10_000.0, "10,000"),
        (-9999.0, "-9999"),
        (10**20, "100,000,000,000,000,000,000"),  # ints stay exact
        (999_999_999_999_999.0, "999,999,999,999,999"),
        (1e15, "1,000,000,000,000,000.0"),  # past 1e15 a float is no longer written as an int
        (3.14159, "3.142"),  # others: four significant digits
        (-3.14159, "-3.142"),
        (0.5, "0.5"),
        (999.5, "999.5"),
        (1000.5, "1,000.5"),  # from 1000 on: separators and one decimal
        (-1000.5, "-1,000.5"),
        (12345.678, "12,345.7"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
        (math.nan, "nan"),
    ],
)
def test_num_writes_integers_bare_and_others_to_four_digits(x, text):
    assert num(x) == text


# -- table ---------------------------------------------------------------------------------------


def expected_table(headers, rows, total=0):
    """The table by its documented rules, cell by cell."""

    def cell(v):
        if isinstance(v, bool):
            return "yes" if v else ""
        return num(v) if isinstance(v, (int, float)) else str(v)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    right = [
        bool(rows)
        and all(isinstance(r[i], (int, float)) and not isinstance(r[i], bool) for r in rows)
        for i in range(len(headers))
    ]

    def line(values):
        padded = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - len(v))
            padded.append(pad + v if right[i] else v + pad)
        return "  ".join(padded).rstrip()

    out = [line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    if total > len(rows):
        out.append(f"... {total - len(rows):,} more")
    return "\n".join(out)


def test_table_aligns_numbers_right_and_text_left():
    headers = ["window", "count", "late", "value"]
    rows = [["[0, 10)", 3, True, 2.5], ["[10, 20)", 12_345, False, 1234.56]]
    text = table(headers, rows)
    assert text.splitlines() == [
        "window     count  late    value",
        "--------  ------  ----  -------",
        "[0, 10)        3  yes       2.5",
        "[10, 20)  12,345        1,234.6",
    ]
    assert text == expected_table(headers, rows)
    lines = text.splitlines()
    # the numeric columns end where their dashes end; text columns start where theirs start
    dashes = [m.span() for m in re.finditer(r"-+", lines[1])]
    assert lines[2][dashes[1][1] - 1] == "3" and lines[3][: dashes[0][1]].rstrip() == "[10, 20)"
    # a bool column is not numeric: "yes" starts its column
    assert lines[2][dashes[2][0] : dashes[2][0] + 3] == "yes"


def test_a_table_cut_short_says_how_many_rows_are_left():
    rows = [["a", 1], ["b", 2]]
    text = table(["name", "n"], rows, total=12_002)
    assert text.splitlines()[-1] == "... 12,000 more"
    assert text == expected_table(["name", "n"], rows, total=12_002)
    assert table(["name", "n"], rows, total=2) == table(["name", "n"], rows)  # nothing left


def test_an_empty_table_is_its_header():
    assert table(["name", "n"], []) == "name  n\n----  -"
    assert table(["name", "n"], [], total=3) == "name  n\n----  -\n... 3 more"


cells = st.one_of(
    st.integers(-20_000, 20_000),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.booleans(),
    st.text(alphabet="ab [),", max_size=6),
)


@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(cells, min_size=n, max_size=n))))
def test_any_table_follows_the_rules(rows):
    headers = ["h1", "", "header3", "h4"][: len(rows[0])] if rows else ["h1", ""]
    assert table(headers, rows) == expected_table(headers, rows)


# -- the status panel ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("p95", "level"),
    [
        (0.0, "LOW"),
        (math.nextafter(LOW_BELOW, 0), "LOW"),
        (LOW_BELOW, "MEDIUM"),
        (math.nextafter(MEDIUM_BELOW, 0), "MEDIUM"),
        (MEDIUM_BELOW, "HIGH"),
        (1800.0, "HIGH"),
    ],
)
def test_latency_levels_change_at_one_second_and_one_minute(p95, level):
    assert (LOW_BELOW, MEDIUM_BELOW) == (1.0, 60.0)
    assert latency_level(p95) == level
    assert latency_level(str(p95)) == level  # what float() reads
    # of a summary, the p95 decides: not the typical p50, not the rare p99
    stats = LatencyStats(count=9, mean=p95, p50=0.0, p95=p95, p99=1e9, max=1e9)
    assert latency_level(stats) == level


def test_the_panel_says_what_the_latency_measures():
    stats = LatencyStats(count=3, mean=2.0, p50=1.2, p95=3.4, p99=5.0, max=5.0)
    common = {"mode": "M", "trigger": "T", "volume": 0, "status": "S"}
    lines = status_panel(latency=stats, latency_of="event → result", **common).splitlines()
    assert lines[2] == "Volume: 0 events"  # zero events is still a count
    assert lines[3] == "Latency: p50=1.2s p95=3.4s p99=5.0s (MEDIUM, event → result)"
    nothing = LatencyStats(0, 0.0, 0.0, 0.0, 0.0, 0.0)
    assert status_panel(latency=nothing, **common).splitlines()[3] == "Latency: no data"
    assert status_panel(latency=nothing, latency_of="x", **common).splitlines()[3] == (
        "Latency: no data"
    )
    assert status_panel(latency=75, latency_of="batch", **common).splitlines()[3] == (
        "Latency: 75.0s (HIGH, batch)"
    )
    assert status_panel(latency=0, **common).splitlines()[3] == "Latency: 0.0s (LOW)"
    assert status_panel(latency="n/a", latency_of="event → decision", **common).splitlines()[3] == (
        "Latency: n/a (event → decision)"
    )
    assert status_panel(latency="", **common).splitlines()[3] == "Latency: "
    # a bool is neither a count of events nor a number of seconds
    odd = status_panel(mode="M", trigger="T", volume=True, latency=False, status="S")
    assert odd.splitlines()[2:4] == ["Volume: True", "Latency: False"]


def test_extra_panel_lines_follow_status_in_order_with_readable_names():
    text = status_panel(
        mode="M",
        trigger="T",
        volume="1 file",
        latency=1.5,
        status="S",
        cost_per_day="2 machine-h",
        lag="0",
        state_size_bytes=0,
    )
    assert text.splitlines() == [
        "Mode: M",
        "Trigger: T",
        "Volume: 1 file",
        "Latency: 1.5s (MEDIUM)",
        "Status: S",
        "Cost per day: 2 machine-h",
        "Lag: 0",
        "State size bytes: 0",
    ]


# -- show ----------------------------------------------------------------------------------------


class _OnlySvg:
    svg = "<svg/>"

    def __str__(self) -> str:
        return "only svg"


class _OnlyTitle:
    title = "T"

    def __str__(self) -> str:
        return "only title"


def test_show_draws_only_what_has_both_a_picture_and_a_title(capsys, monkeypatch):
    drawn = []
    monkeypatch.setattr(display, "_sink", drawn.append)
    show(_OnlySvg())
    show(_OnlyTitle())
    show("")
    assert drawn == []
    assert capsys.readouterr().out == "only svg\nonly title\n\n"
