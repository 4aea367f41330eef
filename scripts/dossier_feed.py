"""A one-stop system's feed, for the API benchmark (scripts/bench-api-batches.sh, TRAFFIC=feed).

The year-wide benchmark sends 10,000 dossiers drawn from the whole year. A one-stop system sends something else:
each dossier when it is received (still open) and again when it is resolved, as it happens. This script turns one
CSV of `thidua dossiers generate` (final states, times spread over the year) into what a province would hold at a
cut-off instant and what arrives next:

    python3 scripts/dossier_feed.py ALL.csv CUT BASE.csv FEED.csv [BATCHES] [SIZE]

- BASE.csv: the dossiers received up to CUT, oldest first (as a year of a feed would have been stored), each as it
  stood at CUT: one resolved after CUT is still open (no resolution, return, result or rating), one returned after
  CUT not yet returned.
- FEED.csv: the events after CUT in time order: a reception (the dossier sent open) and a resolution (sent again with
  its result; an update of a stored or earlier-sent dossier), in BATCHES (2) batches of SIZE (5,000) distinct codes:
  a dossier received and resolved within one batch is sent once, as it stands at its resolution (a system coalesces
  what it has not sent yet). Times stay in Vietnam time with offset, as the generator writes them; they sort as text.

Codes are numbered again in order of reception, as one-stop systems number them (a unit's prefix, the year, then a
sequence): the generator numbers dossiers in the order it draws them, which is no order in time, and a new dossier's
code would land anywhere in the code index instead of after the codes issued before it.
"""
import csv, sys

FIELDS = None
OPEN = ("resolved_at", "returned_at", "result", "rating")


def main():
    global FIELDS
    source, cut, base_path, feed_path = sys.argv[1:5]
    batches = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    size = int(sys.argv[6]) if len(sys.argv) > 6 else 5000
    with open(source, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        FIELDS = next(reader)
        at = {name: i for i, name in enumerate(FIELDS)}
        base, events = [], []
        for row in reader:
            received, resolved, returned = row[at["received_at"]], row[at["resolved_at"]], row[at["returned_at"]]
            if received <= cut:
                if resolved and resolved > cut:
                    events.append((resolved, row))  # resolved later: an update of a stored dossier
                    row = opened(row, at)
                elif returned and returned > cut:
                    row = list(row)
                    row[at["returned_at"]] = ""
                base.append(row)
            else:
                events.append((received, opened(row, at) if resolved else row))
                if resolved:
                    events.append((resolved, row))
    base.sort(key=lambda r: r[at["received_at"]])
    events.sort(key=lambda e: e[0])
    renumber(base, events, at)
    out, batch, order = [], {}, []
    for when, row in events:
        code = row[at["code"]]
        state = list(row)
        if state[at["returned_at"]] and state[at["returned_at"]] > when:
            state[at["returned_at"]] = ""
        if code not in batch:
            if len(batch) == size:
                out.extend(batch[c] for c in order)
                batch, order = {}, []
                if len(out) == batches * size:
                    break
            order.append(code)
        batch[code] = state
    else:
        out.extend(batch[c] for c in order)
    write(base_path, base)
    write(feed_path, out)
    updates = sum(1 for r in out if r[at["resolved_at"]])
    print(f"{len(base)} dossiers stored at {cut}; feed of {len(out)} ({updates} with a resolution, {len(out) - updates} open)")


def renumber(base, events, at):
    """Codes in order of reception: `UNIT-YY` and a 7-digit sequence over all dossiers (rows are changed in place)."""
    received = {}
    for row in base + [row for _, row in events]:
        received[row[at["code"]]] = (row[at["received_at"]], row[at["code"]])
    code_of = {}
    for n, (when, code) in enumerate(sorted(received.values())):
        unit = code.rsplit("-", 1)[0]
        code_of[code] = f"{unit}-{when[2:4]}{n:07d}"
    for row in base + [row for _, row in events]:
        row[at["code"]] = code_of[row[at["code"]]]


def opened(row, at):
    row = list(row)
    for name in OPEN:
        row[at[name]] = ""
    return row


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FIELDS)
        w.writerows(rows)


if __name__ == "__main__":
    main()
