"""The answers the exercise tests try: per exercise id, the message its starter gets and
typical wrong answers, each with the exact message it must get (test_exercise_answers.py)."""

from __future__ import annotations

ANSWERS: dict[str, dict] = {
    "window-start": {
        "starter": (
            "Line 3 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                ("def window_start(t, size):\n    return t // size\n"),
                (
                    "For t = 10.0, size = 10, `window_start(t, size)` returned 1 instead of 10. "
                    "That is the window's number; multiply it by the size."
                ),
            ),
            (
                ("def window_start(t, size):\n    return round(t / size) * size\n"),
                (
                    "For t = 9.99, size = 10, `window_start(t, size)` returned 10 instead of 0. "
                    "9.99 is past the middle of its window, so rounding gave the next window's "
                    "start: round down."
                ),
            ),
            (
                (
                    "import math\n"
                    "\n"
                    "def window_start(t, size):\n"
                    "    return math.ceil(t / size) * size - size\n"
                ),
                (
                    "For t = 0.0, size = 10, `window_start(t, size)` returned -10 instead of 0. "
                    "Windows are half-open, [start, end): an event exactly at an end belongs to "
                    "the next window."
                ),
            ),
        ],
    },
    "bound-that-keeps-every-event": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def needed_bound(events, size=10):\n"
                    "    return max(e.arrival_time - e.event_time for e in events)\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.05, late_delay=8)`, "
                    "`needed_bound(events)` returned 9.907 instead of 8.276. That is the longest "
                    "delay of one event. What makes an event late is how far its window's end "
                    "lay behind the largest event time when it arrived: 13 - 10 = 3 s for e6 in "
                    "the worked example, not its 8 s delay."
                ),
            ),
            (
                (
                    "def needed_bound(events, size=10):\n"
                    "    largest, worst = float('-inf'), 0.0\n"
                    "    for e in events:\n"
                    "        worst = max(worst, largest - e.event_time)\n"
                    "        largest = max(largest, e.event_time)\n"
                    "    return worst\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.05, late_delay=8)`, "
                    "`needed_bound(events)` returned 9.725 instead of 8.276. That measures from "
                    "the event's own time. An event is late only once its whole window has been "
                    "emitted: measure from its window's end."
                ),
            ),
        ],
    },
    "sessions-by-event-time": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def sessions(events, gap):\n"
                    "    out, open_ = {}, {}\n"
                    "    for e in events:\n"
                    "        s = open_.get(e.key)\n"
                    "        if s and s[0] <= e.event_time < s[1]:\n"
                    "            s[1] = max(s[1], e.event_time + gap)\n"
                    "            s[2] += 1\n"
                    "            continue\n"
                    "        if s:\n"
                    "            out[(e.key, s[0], s[1])] = s[2]\n"
                    "        open_[e.key] = [e.event_time, e.event_time + gap, 1]\n"
                    "    for k, s in open_.items():\n"
                    "        out[(k, s[0], s[1])] = s[2]\n"
                    "    return out\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=1, keys=2, mean_delay=2)`, window [0.783, "
                    "5.59) of key `k1`: you wrote 2, the job should write nothing (you built "
                    "sessions in arrival order: an event that arrives late still belongs, by its "
                    "event time, to a session, and may bridge two; sort each key's times)."
                ),
            ),
            (
                (
                    "def sessions(events, gap):\n"
                    "    out, times = {}, {}\n"
                    "    for e in events:\n"
                    "        times.setdefault(e.key, []).append(e.event_time)\n"
                    "    for key, ts in times.items():\n"
                    "        ts.sort()\n"
                    "        start, last, n = ts[0], ts[0], 0\n"
                    "        for t in ts:\n"
                    "            if t - last >= gap:\n"
                    "                out[(key, start, last)] = n\n"
                    "                start, n = t, 0\n"
                    "            last, n = t, n + 1\n"
                    "        out[(key, start, last)] = n\n"
                    "    return out\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=1, keys=2, mean_delay=2)`, window [0.144, "
                    "0.144) of key `k0`: you wrote 1, the job should write nothing (a session "
                    "ends a gap after its last event)."
                ),
            ),
            (
                (
                    "def sessions(events, gap):\n"
                    "    out = {}\n"
                    "    for e in events:\n"
                    "        out[(e.key, e.event_time, e.event_time + gap)] = 1\n"
                    "    return out\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=1, keys=2, mean_delay=2)`, window [0.783, "
                    "3.783) of key `k1`: you wrote 1, the job should write nothing (an event "
                    "before a session's end extends that session: events less than a gap apart "
                    "are one session)."
                ),
            ),
            (
                (
                    "def sessions(events, gap):\n"
                    "    out, times = {}, {}\n"
                    "    for e in events:\n"
                    "        times.setdefault(e.key, []).append(e.event_time)\n"
                    "    for key, ts in times.items():\n"
                    "        ts.sort()\n"
                    "        start, end, n = ts[0], ts[0] + gap, 0\n"
                    "        for t in ts:\n"
                    "            if t >= end:\n"
                    "                out[(key, start, end)] = n\n"
                    "                start = t\n"
                    "            end = max(end, t + gap)\n"
                    "            n += 1\n"
                    "        out[(key, start, end)] = n\n"
                    "    return out\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=1, keys=2, mean_delay=2)`, key `k0`: your "
                    "sessions count 90 events, the stream has 27: 63 counted more than once."
                ),
            ),
        ],
    },
    "dashboard-from-accumulating-panes": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def dashboard(panes):\n"
                    "    shown = {}\n"
                    "    for p in panes:\n"
                    "        w = (p.key, p.start, p.end)\n"
                    "        shown[w] = shown.get(w, 0) + p.value\n"
                    "    return shown\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=3, late_fraction=0.05, late_delay=20)`, "
                    "window [0, 10) of key `k0`: you wrote 280, the job should write 52 "
                    "(accumulating panes each carry the window's full result so far: overwrite "
                    "the previous value, do not add)."
                ),
            ),
            (
                (
                    "def dashboard(panes):\n"
                    "    shown = {}\n"
                    "    for p in panes:\n"
                    "        shown.setdefault((p.key, p.start, p.end), p.value)\n"
                    "    return shown\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=3, late_fraction=0.05, late_delay=20)`, "
                    "window [0, 10) of key `k0`: you wrote 5, the job should write 52 (the first "
                    "pane is an early, partial result: each later pane of the window replaces "
                    "it)."
                ),
            ),
        ],
    },
    "running-total-from-discarding-panes": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def accumulate(panes):\n"
                    "    return [(p.key, p.start, p.end, p.value) for p in panes]\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=3, late_fraction=0.05, late_delay=20)`, "
                    "window [0, 10) of key `k0`, pane 2 (early): you wrote 11, the job should "
                    "write 16 (a discarding pane holds only what arrived since the previous "
                    "pane: add it to its window's running total)."
                ),
            ),
            (
                (
                    "def accumulate(panes):\n"
                    "    out, total = [], 0\n"
                    "    for p in panes:\n"
                    "        total += p.value\n"
                    "        out.append((p.key, p.start, p.end, total))\n"
                    "    return out\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=3, late_fraction=0.05, late_delay=20)`, "
                    "window [0, 10) of key `k0`, pane 2 (early): you wrote 24, the job should "
                    "write 16 (you added up the panes of every window together: keep one running "
                    "total per window)."
                ),
            ),
        ],
    },
    "counts-live-and-right": {
        "starter": (
            "Line 10 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "from simulations import Tumbling, run_triggered\n"
                    "\n"
                    "def live_counts(events):\n"
                    "    return run_triggered(events, window=Tumbling(60),\n"
                    "        watermark_delay=2, aggregate='count', early_every=None,\n"
                    "        accumulation='accumulating', allowed_lateness=30)\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=3, duration=90, late_fraction=0.02, "
                    "late_delay=20)`, window [0, 60) of key `k0`, pane 1 (early): you wrote 44, "
                    "the job should write 1 (without early panes every second, the first answer "
                    "waits for the watermark to pass the end of the minute)."
                ),
            ),
            (
                (
                    "from simulations import Tumbling, run_triggered\n"
                    "\n"
                    "def live_counts(events):\n"
                    "    return run_triggered(events, window=Tumbling(60),\n"
                    "        watermark_delay=2, aggregate='count', early_every=1,\n"
                    "        accumulation='discarding', allowed_lateness=30)\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=3, duration=90, late_fraction=0.02, "
                    "late_delay=20)`, window [0, 60) of key `k0`, pane 2 (early): you wrote 2, "
                    "the job should write 3 (discarding panes hold only what changed since the "
                    "previous pane: a dashboard that upserts them shows an increment, not the "
                    "count)."
                ),
            ),
            (
                (
                    "from simulations import Tumbling, run_triggered\n"
                    "\n"
                    "def live_counts(events):\n"
                    "    return run_triggered(events, window=Tumbling(60),\n"
                    "        watermark_delay=2, aggregate='count', early_every=1,\n"
                    "        accumulation='accumulating', allowed_lateness=0)\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=3, duration=90, late_fraction=0.02, "
                    "late_delay=20)`, window [0, 60) of key `k0`, pane 33 (late): you wrote "
                    "nothing, the job should write 45 (events up to 30 s late must still correct "
                    "the count: that is the allowed lateness)."
                ),
            ),
        ],
    },
    "sink-that-survives-a-replay": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def write(table, result):\n"
                    "    w = (result.key, result.start, result.end)\n"
                    "    table[w] = table.get(w, 0) + result.value\n"
                ),
                (
                    "For `generate_stream(seed=1)`, window [20, 30) of key `k0`: you wrote 256, "
                    "the job should write 128 (the replay wrote this result a second time: an "
                    "idempotent write overwrites, keyed by (key, start, end); adding counts it "
                    "twice)."
                ),
            ),
            (
                ("def write(table, result):\n    table[result.key] = result.value\n"),
                (
                    "Your table has a row keyed 'k0': key it by (key, start, end), one row per "
                    "window, so that a repeated write lands on the row it wrote before."
                ),
            ),
        ],
    },
    "events-read-twice": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def replayed(events, checkpoint_interval, crash_at):\n"
                    "    last = crash_at - crash_at % checkpoint_interval\n"
                    "    if last == crash_at:\n"
                    "        last -= checkpoint_interval\n"
                    "    return sum(1 for e in events\n"
                    "               if last <= e.event_time < crash_at)\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.05, late_delay=10)`, a "
                    "checkpoint every 15 s and a crash at 40 s, `replayed(events, "
                    "checkpoint_interval, crash_at)` returned 109 instead of 103. A checkpoint "
                    "saves a position in the log, which is in arrival order: count the events "
                    "that arrived between it and the crash, whenever they happened."
                ),
            ),
            (
                (
                    "def replayed(events, checkpoint_interval, crash_at):\n"
                    "    last = crash_at - crash_at % checkpoint_interval\n"
                    "    return sum(1 for e in events\n"
                    "               if last <= e.arrival_time < crash_at)\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.05, late_delay=10)`, a "
                    "checkpoint every 15 s and a crash at 45 s, `replayed(events, "
                    "checkpoint_interval, crash_at)` returned 0 instead of 156. The checkpoint "
                    "due at 45 s, the moment of the crash, was never taken: the job restarts "
                    "from the one before."
                ),
            ),
        ],
    },
    "price-when-ordered": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def price_when_ordered(orders, prices):\n"
                    "    out = []\n"
                    "    for o in orders:\n"
                    "        known = [p.value for p in prices if p.key == o.key\n"
                    "                 and p.arrival_time <= o.arrival_time]\n"
                    "        out.append(known[-1] if known else None)\n"
                    "    return out\n"
                ),
                (
                    "For orders `generate_stream(seed=1, rate=1, mean_delay=2)` and prices "
                    "`generate_stream(seed=101, rate=0.3, mean_delay=2)`, "
                    "`price_when_ordered(orders, prices)[10]` is 4 instead of 6. That is the "
                    "lookup join: the price the table held when the order was processed, which a "
                    "price change that overtook the order, or a late order, makes wrong. The "
                    "as-of join takes the price valid at the order's own event time, the same on "
                    "every replay."
                ),
            ),
            (
                (
                    "def price_when_ordered(orders, prices):\n"
                    "    latest = {p.key: p.value for p in prices}\n"
                    "    return [latest.get(o.key) for o in orders]\n"
                ),
                (
                    "For orders `generate_stream(seed=1, rate=1, mean_delay=2)` and prices "
                    "`generate_stream(seed=101, rate=0.3, mean_delay=2)`, "
                    "`price_when_ordered(orders, prices)[0]` is 7 instead of None. That is each "
                    "product's latest price of all: a price set after an order was placed cannot "
                    "apply to it, and training on it leaks the future."
                ),
            ),
        ],
    },
    "clicks-after-impressions": {
        "starter": (
            "Line 5 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def clicks_per_ad(shows, clicks, upper=30):\n"
                    "    pairs = {}\n"
                    "    for s in shows:\n"
                    "        for c in clicks:\n"
                    "            if c.key == s.key and abs(c.event_time - s.event_time) <= upper:\n"
                    "                pairs[s.key] = pairs.get(s.key, 0) + 1\n"
                    "    return pairs\n"
                ),
                (
                    "For impressions `generate_stream(seed=1, rate=1, keys=5, key_prefix='ad')` "
                    "and clicks `generate_stream(seed=201, rate=0.3, keys=5, key_prefix='ad')`, "
                    '`clicks_per_ad(shows, clicks)["ad0"]` is 30 instead of 15. You also paired '
                    "clicks that came before their impression: the interval is one-sided, from "
                    "the impression's time (lower = 0) to 30 s after it."
                ),
            ),
            (
                (
                    "def clicks_per_ad(shows, clicks, upper=30):\n"
                    "    pairs = {}\n"
                    "    for s in shows:\n"
                    "        for c in clicks:\n"
                    "            if s.event_time <= c.event_time <= s.event_time + upper:\n"
                    "                pairs[s.key] = pairs.get(s.key, 0) + 1\n"
                    "    return pairs\n"
                ),
                (
                    "For impressions `generate_stream(seed=1, rate=1, keys=5, key_prefix='ad')` "
                    "and clicks `generate_stream(seed=201, rate=0.3, keys=5, key_prefix='ad')`, "
                    '`clicks_per_ad(shows, clicks)["ad0"]` is 101 instead of 15. Pair only rows '
                    "of the same ad: an interval join is a join on the key, bounded in time."
                ),
            ),
        ],
    },
    "compaction-keeps-the-latest": {
        "starter": (
            "Line 5 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def keep_latest(log):\n"
                    "    seen, out = set(), []\n"
                    "    for c in log:\n"
                    "        if c.key not in seen:\n"
                    "            seen.add(c.key)\n"
                    "            out.append(c)\n"
                    "    return out\n"
                ),
                (
                    "For `generate_changes(keys=10, duration=120, delete_fraction=0.2, seed=1)`, "
                    "`keep_latest(log)[0].key` is 'u1' instead of 'u5'. You kept each key's "
                    "oldest record: compaction keeps the latest, the value a reader rebuilding "
                    "the table needs."
                ),
            ),
            (
                (
                    "def keep_latest(log):\n"
                    "    latest = {c.key: c.offset for c in log}\n"
                    "    return [c for c in log\n"
                    "            if latest[c.key] == c.offset and c.value is not None]\n"
                ),
                (
                    "For `generate_changes(keys=10, duration=120, delete_fraction=0.2, seed=1)`, "
                    "`keep_latest(log)[0].key` is 'u7' instead of 'u5'. A tombstone that is the "
                    "latest record of its key must stay: a reader that already holds the row "
                    "learns from it that the row was deleted."
                ),
            ),
        ],
    },
    "view-kept-by-upserts": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def apply(view, rows, change):\n"
                    "    rows[change.key] = change.value\n"
                    "    if change.value is not None:\n"
                    "        view[change.value] = view.get(change.value, 0) + 1\n"
                ),
                (
                    "For `generate_changes(keys=10, duration=120, delete_fraction=0.2, seed=1)`, "
                    '`view_after(log)["free"]` is 38 instead of 3. A change replaces the row\'s '
                    "old value: retract the row from its old plan's count before adding it to "
                    "the new one, or every update counts the row again."
                ),
            ),
            (
                (
                    "def apply(view, rows, change):\n"
                    "    old = rows.get(change.key)\n"
                    "    if old is not None:\n"
                    "        view[old] -= 1\n"
                    "    rows[change.key] = change.value\n"
                    "    view[change.value] = view.get(change.value, 0) + 1\n"
                ),
                (
                    "For `generate_changes(keys=10, duration=120, delete_fraction=0.2, seed=1)`, "
                    "`view_after(log)` has a key None that should not be there. A change whose "
                    "value is None deletes the row: take it out of its plan's count and add "
                    "nothing."
                ),
            ),
        ],
    },
    "bytes-per-country": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def map_line(line):\n"
                    "    return [(line.split()[0], 1)]\n"
                    "\n"
                    "def reduce_key(key, values):\n"
                    "    return sum(values)\n"
                ),
                (
                    "For a log of 13 lines ('fr /p4 1065', ...), "
                    '`bytes_per_country(lines)["de"]` is 3 instead of 8625. That counts the page '
                    "views. The question is the bytes served: map each line to (country, bytes), "
                    "and let reduce add up the bytes."
                ),
            ),
            (
                (
                    "def map_line(line):\n"
                    "    country, page, size = line.split()\n"
                    "    return [(country, size)]\n"
                    "\n"
                    "def reduce_key(key, values):\n"
                    "    return sum(values)\n"
                ),
                (
                    "For a log of 13 lines ('fr /p4 1065', ...), `bytes_per_country(lines)` "
                    "raised TypeError on line 6: unsupported operand type(s) for +: 'int' and "
                    "'str'."
                ),
            ),
        ],
    },
    "batch-totals-by-event-time": {
        "starter": (
            "Line 5 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def batch_totals(events, period=10):\n"
                    "    sums = {}\n"
                    "    for e in events:\n"
                    "        start = e.arrival_time - e.arrival_time % period\n"
                    "        w = (e.key, start, start + period)\n"
                    "        sums[w] = sums.get(w, 0) + e.value\n"
                    "    return sums\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.1, late_delay=15)`, window [0, "
                    "10) of key `k0`: you wrote 95, the job should write 125 (you grouped by "
                    "arrival time: over a complete input a batch job puts each event in the "
                    "period it happened in, however late it arrived)."
                ),
            ),
        ],
    },
    "average-wait-of-a-schedule": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                ("def average_wait(interval, run_time):\n    return interval + run_time\n"),
                (
                    "For interval = 3600 s, run_time = 600 s, `average_wait(interval, run_time)` "
                    "returned 4200 instead of 2400. That is the worst case: the first event of "
                    "an interval waits the whole interval. On average an event waits half of it, "
                    "then the run."
                ),
            ),
            (
                ("def average_wait(interval, run_time):\n    return interval / 2\n"),
                (
                    "For interval = 3600 s, run_time = 600 s, `average_wait(interval, run_time)` "
                    "returned 1800 instead of 2400. Add the run time: the result appears when "
                    "the run ends, not when it starts."
                ),
            ),
        ],
    },
    "meets-the-latency-budget": {
        "starter": (
            "Line 4 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def meets_budget(events, budget):\n"
                    "    delays = [e.arrival_time - e.event_time for e in events]\n"
                    "    return sum(delays) / len(delays) <= budget\n"
                ),
                (
                    "For `generate_stream(seed=1, mean_delay=0.5)` and a 1 s budget, "
                    "`meets_budget(events, budget)` returned True instead of False. The mean "
                    "delay here is 0.51 s, well within 1 s, but the mean hides the tail: compare "
                    "the 99th percentile of the delays with the budget."
                ),
            ),
        ],
    },
    "alert-per-event": {
        "starter": (
            "Line 10 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def first_alerts(events, horizon=10, threshold=20):\n"
                    "    counts, alerts = {}, {}\n"
                    "    for e in events:\n"
                    "        counts[e.key] = counts.get(e.key, 0) + 1\n"
                    "        if counts[e.key] > threshold and e.key not in alerts:\n"
                    "            alerts[e.key] = e.arrival_time\n"
                    "    return alerts\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=2, duration=150, keys=4, mean_delay=0.02, "
                    'bursts=[(60, 20, 15)])`, `first_alerts(events)["k0"]` is 31.9 instead of '
                    "62.41. Your alerts come too early: forget the events that arrived `horizon` "
                    "seconds or more before the current one, or the count only ever grows."
                ),
            ),
            (
                (
                    "def first_alerts(events, horizon=10, threshold=20):\n"
                    "    counts, alerts = {}, {}\n"
                    "    for e in events:\n"
                    "        w = (e.key, e.arrival_time // horizon)\n"
                    "        counts[w] = counts.get(w, 0) + 1\n"
                    "        if counts[w] > threshold and e.key not in alerts:\n"
                    "            alerts[e.key] = (w[1] + 1) * horizon\n"
                    "    return alerts\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=2, duration=150, keys=4, mean_delay=0.02, "
                    'bursts=[(60, 20, 15)])`, `first_alerts(events)["k0"]` is 70 instead of '
                    "62.41. Your alerts come later than they could: per-event work decides at "
                    "the event that makes the count too high, without waiting for a window to "
                    "close."
                ),
            ),
        ],
    },
    "each-group-its-offset": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def poll(log, offsets, group, max_records=10):\n"
                    "    records = log[:max_records]\n"
                    "    del log[:max_records]\n"
                    "    return records\n"
                ),
                (
                    "Your poll removed records from the log. A log keeps them after they are "
                    "read (until retention expires): another group, or a replay, reads them "
                    "again. Move the group's offset instead."
                ),
            ),
            (
                (
                    "def poll(log, offsets, group, max_records=10):\n"
                    "    start = offsets.get('all', 0)\n"
                    "    offsets['all'] = start + max_records\n"
                    "    return log[start:start + max_records]\n"
                ),
                (
                    "For `generate_stream(seed=1, duration=3)`, poll 2 (group `fraud`) returned "
                    "offsets 10 to 19; it should return offsets 0 to 9. Each consumer group "
                    "keeps its own offset: `fraud` has read nothing yet."
                ),
            ),
        ],
    },
    "serving-layer-merge": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def serve(batch_view, speed_results, t):\n"
                    "    merged = dict(batch_view)\n"
                    "    for r in speed_results:\n"
                    "        if r.emitted_at <= t:\n"
                    "            merged[(r.key, r.start)] = r.value\n"
                    "    return merged\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=0.5, duration=600, late_fraction=0.05, "
                    "late_delay=100)` at t = 250 s, `serve(batch_view, speed_results, t)[('k0', "
                    "180.0)]` is 7 instead of 14. The batch view sums the events that arrived "
                    "before its cutoff and the speed layer only those after it: for a sum the "
                    "serving layer adds the two, it does not replace one with the other."
                ),
            ),
            (
                (
                    "def serve(batch_view, speed_results, t):\n"
                    "    fresh = {(r.key, r.start): r.value for r in speed_results}\n"
                    "    merged = dict(batch_view)\n"
                    "    for w, v in fresh.items():\n"
                    "        merged[w] = merged.get(w, 0) + v\n"
                    "    return merged\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=0.5, duration=600, late_fraction=0.05, "
                    "late_delay=100)` at t = 150 s, `serve(batch_view, speed_results, t)` has a "
                    "key ('k0', 120.0) that should not be there. A speed-layer result written "
                    "after t = 150 s was not there yet: take only those with emitted_at <= t."
                ),
            ),
        ],
    },
    "what-the-batch-corrects": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def corrections(speed, batch):\n"
                    "    return {w: (v, batch[w]) for w, v in speed.items()\n"
                    "            if batch[w] != v}\n"
                ),
                (
                    "For the speed and batch results of `generate_stream(seed=1, rate=0.2, "
                    "duration=600, late_fraction=0.3, late_delay=100)`, `corrections(speed, "
                    "batch)` has no key ('k0', 180.0, 240.0). A window the speed layer never "
                    "wrote, because every one of its events came late, is a correction too: its "
                    "`before` is None."
                ),
            ),
        ],
    },
    "replay-catch-up-time": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                ("def catch_up_seconds(n, replay_rate, live_rate):\n    return n / replay_rate\n"),
                (
                    "For n = 25,920,000,000, replay_rate = 1,000,000, live_rate = 10,000, "
                    "`catch_up_seconds(n, replay_rate, live_rate)` returned 25,920 instead of "
                    "26,181.8. The log keeps growing while the replay runs: the replay gains "
                    "only replay_rate - live_rate events a second on its head."
                ),
            ),
            (
                (
                    "def catch_up_seconds(n, replay_rate, live_rate):\n"
                    "    return n / (replay_rate - live_rate)\n"
                ),
                (
                    "With replay_rate = 100 and live_rate = 100 the replay never catches up, but "
                    "`catch_up_seconds` raised ZeroDivisionError: raise a ValueError that says "
                    "so."
                ),
            ),
        ],
    },
    "when-the-replay-catches-up": {
        "starter": (
            "Line 9 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def caught_up_at(log, redeploy_at, replay_rate):\n"
                    "    arrived = [e for e in log if e.arrival_time <= redeploy_at]\n"
                    "    return redeploy_at + len(arrived) / replay_rate\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=10, duration=120)`, a redeploy at 60 s "
                    "and a replay at 25 events/s, `caught_up_at(log, redeploy_at, replay_rate)` "
                    "returned 82.88 instead of 98.36. That counts only the events already in the "
                    "log at the redeploy. Events keep arriving while the replay runs, and the "
                    "job must read those too before it has caught up."
                ),
            ),
        ],
    },
    "prequential-accuracy": {
        "starter": (
            "Line 22 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "class MajorityModel:\n"
                    "    def __init__(self):\n"
                    "        self.counts = {}\n"
                    "\n"
                    "    def predict(self, key):\n"
                    "        false, true = self.counts.get(key, [0, 0])\n"
                    "        return true > false\n"
                    "\n"
                    "    def learn(self, key, label):\n"
                    "        self.counts.setdefault(key, [0, 0])[label] += 1\n"
                    "\n"
                    "\n"
                    "def prequential_accuracy(events):\n"
                    "    model = MajorityModel()\n"
                    "    right = 0\n"
                    "    for e in events:\n"
                    "        label = e.value >= 5\n"
                    "        model.learn(e.key, label)\n"
                    "        right += model.predict(e.key) == label\n"
                    "    return right / len(events)\n"
                ),
                (
                    "For `generate_stream(seed=1)`, `prequential_accuracy(events)` returned "
                    "0.5979 instead of 0.5789. Your model learnt each example before it was "
                    "tested on it, which flatters it. Prequential evaluation predicts first, "
                    "then learns: the accuracy then measures examples the model had not seen."
                ),
            ),
        ],
    },
    "fan-out-tail": {
        "starter": (
            "Line 5 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                ("def share_slow(servers, p_slow):\n    return servers * p_slow\n"),
                (
                    "For 100 servers, p_slow = 0.01, `share_slow(servers, p_slow)` returned 1 "
                    "instead of 0.634. Adding the chances counts twice the requests that meet "
                    "two slow servers, and reaches 100 % at 100 servers. A request is fast only "
                    "when every server is: 1 - (1 - p)^n."
                ),
            ),
            (
                ("def share_slow(servers, p_slow):\n    return p_slow\n"),
                (
                    "For 100 servers, p_slow = 0.01, `share_slow(servers, p_slow)` returned 0.01 "
                    "instead of 0.634. The request waits for the slowest of its servers: any one "
                    "of them being slow makes it slow."
                ),
            ),
        ],
    },
    "no-future-in-the-features": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def feature_at_payment(payments, changes):\n"
                    "    latest = {}\n"
                    "    for c in changes:\n"
                    "        latest[c.key] = c.value\n"
                    "    return [latest.get(p.key, 0) for p in payments]\n"
                ),
                (
                    "For payments `generate_stream(seed=1, rate=1, mean_delay=2)` and changes "
                    "`generate_stream(seed=301, rate=0.5, mean_delay=2)`, "
                    "`feature_at_payment(payments, changes)[0]` is 5 instead of 0. That is the "
                    "latest value, as of the build: it leaks values from after the payment into "
                    "its features, which the model will never have when it serves."
                ),
            ),
        ],
    },
    "labels-known-at-build-time": {
        "starter": (
            "Line 7 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def labels(payments, build_at, wait):\n"
                    "    out = []\n"
                    "    for p in payments:\n"
                    "        if p.event_time > build_at:\n"
                    "            continue\n"
                    "        if p.value == 9:\n"
                    "            out.append((p.event_time, 'fraud'))\n"
                    "        elif build_at - p.event_time >= wait:\n"
                    "            out.append((p.event_time, 'genuine'))\n"
                    "    return out\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=1, duration=600)`, built at 500 s with a "
                    "300 s wait, `labels(payments, build_at, wait)` has 213 items instead of "
                    "188. A chargeback that has not arrived by the build is not known then: "
                    "labelling by the truth leaks the future."
                ),
            ),
            (
                (
                    "def labels(payments, build_at, wait):\n"
                    "    out = []\n"
                    "    for p in payments:\n"
                    "        if p.event_time > build_at:\n"
                    "            continue\n"
                    "        if p.value == 9 and p.event_time + 300 <= build_at:\n"
                    "            out.append((p.event_time, 'fraud'))\n"
                    "        else:\n"
                    "            out.append((p.event_time, 'genuine'))\n"
                    "    return out\n"
                ),
                (
                    "For `generate_stream(seed=1, rate=1, duration=600)`, built at 500 s with a "
                    "300 s wait, `labels(payments, build_at, wait)` has 476 items instead of "
                    "188. A payment younger than the wait may still get its chargeback: leave it "
                    "out until it is `wait` s old, or it is labelled genuine wrongly."
                ),
            ),
        ],
    },
    "micro-batch-visibility": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "import math\n"
                    "\n"
                    "def visible_at(events, interval):\n"
                    "    return [math.ceil(e.arrival_time / interval) * interval\n"
                    "            for e in events]\n"
                ),
                (
                    "For `generate_stream(seed=3, late_fraction=0.05, late_delay=5)` and a run "
                    "every 2 s, `visible_at(events, interval)[440]` is 40 instead of 42. An "
                    "event that arrives exactly as a run starts misses that run, which takes "
                    "what arrived before it started: it waits for the next one."
                ),
            ),
            (
                (
                    "def visible_at(events, interval):\n"
                    "    return [(e.event_time // interval + 1) * interval\n"
                    "            for e in events]\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.05, late_delay=5)` and a run "
                    "every 2 s, `visible_at(events, interval)[11]` is 2 instead of 4. A "
                    "micro-batch takes the events that have arrived: use their arrival time, not "
                    "when they happened."
                ),
            ),
        ],
    },
    "what-freshness-costs": {
        "starter": (
            "Line 6 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "def daily_costs(events, rate, price, machines):\n"
                    "    return (24 * price, machines * 24 * price)\n"
                ),
                (
                    "For 500,000,000 events a day, 20,000 events/s per machine, $0.4 an hour and "
                    "3 stream machines, `daily_costs(events, rate, price, machines)[0]` is 9.6 "
                    "instead of 2.778. A batch job pays only while it works: its machine-hours "
                    "are the day's events over what a machine processes an hour, not a machine "
                    "kept on all day."
                ),
            ),
            (
                (
                    "def daily_costs(events, rate, price, machines):\n"
                    "    cost = events / rate / 3600 * price\n"
                    "    return (cost, cost)\n"
                ),
                (
                    "For 500,000,000 events a day, 20,000 events/s per machine, $0.4 an hour and "
                    "3 stream machines, `daily_costs(events, rate, price, machines)[1]` is 2.778 "
                    "instead of 28.8. A stream job is on all day, busy or not: machines x 24 h x "
                    "price."
                ),
            ),
        ],
    },
    "no-state-left-behind": {
        "starter": (
            "Line 30 still has a blank `____`: replace it with your answer, then press Check."
        ),
        "wrong": [
            (
                (
                    "class WindowCounts:\n"
                    "    def __init__(self, size=10, delay=2):\n"
                    "        self.size, self.delay = size, delay\n"
                    "        self.open = {}\n"
                    '        self.largest = float("-inf")\n'
                    "\n"
                    "    def process(self, e):\n"
                    "        start = e.event_time - e.event_time % self.size\n"
                    "        window = (e.key, start, start + self.size)\n"
                    "        if window[2] > self.largest - self.delay:\n"
                    "            self.open[window] = self.open.get(window, 0) + 1\n"
                    "        self.largest = max(self.largest, e.event_time)\n"
                    "        return self.fire()\n"
                    "\n"
                    "    def finish(self):\n"
                    '        self.largest = float("inf")\n'
                    "        return self.fire()\n"
                    "\n"
                    "    def fire(self):\n"
                    "        watermark = self.largest - self.delay\n"
                    "        return [(*w, n) for w, n in self.open.items()\n"
                    "                if w[2] <= watermark]\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.05, late_delay=8)`, at the end "
                    "of the input your job still holds state for 18 entries (the first: window "
                    "[0, 10) of key `k0`): state nothing will ever read again grows with every "
                    "window the stream opens."
                ),
            ),
            (
                (
                    "class WindowCounts:\n"
                    "    def __init__(self, size=10, delay=2):\n"
                    "        self.size, self.delay = size, delay\n"
                    "        self.open = {}\n"
                    '        self.largest = float("-inf")\n'
                    "\n"
                    "    def process(self, e):\n"
                    "        start = e.event_time - e.event_time % self.size\n"
                    "        window = (e.key, start, start + self.size)\n"
                    "        if window[2] > self.largest - self.delay:\n"
                    "            self.open[window] = self.open.get(window, 0) + 1\n"
                    "        self.largest = max(self.largest, e.event_time)\n"
                    "        return self.fire()\n"
                    "\n"
                    "    def finish(self):\n"
                    '        self.largest = float("inf")\n'
                    "        return self.fire()\n"
                    "\n"
                    "    def fire(self):\n"
                    "        watermark = self.largest - self.delay\n"
                    "        done = [w for w in self.open if w[1] <= watermark]\n"
                    "        return [(*w, self.open.pop(w)) for w in done]\n"
                ),
                (
                    "For `generate_stream(seed=1, late_fraction=0.05, late_delay=8)`, window [0, "
                    "10) of key `k0`, pane 1 (on-time): you wrote 5, the job should write 23 (a "
                    "window is complete only once the watermark reaches its end)."
                ),
            ),
        ],
    },
}
