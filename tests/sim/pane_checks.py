"""What a triggered job's latencies must be, recomputed from its input and its panes alone
(test_triggers.py and test_dataflow_rules.py check both engines against these)."""


def accepted(evs, r):
    """Each (event, window start) the job took in, in the order it read them."""
    rejected = {(id(x.event), x.start) for x in [*r.late, *r.dropped]}
    return [
        (ev, start)
        for ev in evs
        for start, _ in r.window.assign(ev.event_time)
        if (id(ev), start) not in rejected
    ]


def first_pane_latencies(evs, r):
    """Each (event, window)'s wait from its event time to the first pane that counted it.

    In accumulating mode a window's panes count its events in the order they were read, so the
    n-th event a window accepted is in the first pane whose count reaches n.
    """
    seen: dict[tuple[str, float], int] = {}
    out = []
    for ev, start in accepted(evs, r):
        n = seen[(ev.key, start)] = seen.get((ev.key, start), 0) + 1
        pane = next(p for p in r.history(ev.key, start) if p.count >= n)
        out.append(pane.emitted_at - ev.event_time)
    return out


def first_answers(evs, r):
    """Per window with a pane: from the arrival of the first event it took to its first pane."""
    first: dict[tuple[str, float], float] = {}
    for ev, start in accepted(evs, r):
        first.setdefault((ev.key, start), ev.arrival_time)
    return [r.history(key, start)[0].emitted_at - t for (key, start), t in first.items()]
