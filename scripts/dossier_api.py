"""The benchmarks' side of the dossier API (scripts/bench-procedures.sh, scripts/bench-api-batches.sh): the CSV of
`thidua dossiers generate` as JSON batches, and one authenticated call."""
import csv, json, time, urllib.request

FLAGS = ("paid_online", "digitised", "complaint")


def batches(path, size=5000):
    """(count, JSON body) per batch: empty cells left out, the flags as JSON booleans (as the OpenAPI document says)."""
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    out = []
    for i in range(0, len(rows), size):
        items = [{k: v for k, v in r.items() if v != ""} for r in rows[i:i + size]]
        for it in items:
            for k in FLAGS:
                if k in it: it[k] = it[k] == "1"
        out.append((len(items), json.dumps({"dossiers": items}).encode()))
    return out


def call(base, token, method, path, body=None):
    """(answer as JSON, Server-Timing or None, seconds)."""
    req = urllib.request.Request(base + path, data=body, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    t = time.monotonic()
    with urllib.request.urlopen(req, timeout=120) as r:
        answer = json.loads(r.read())
        return answer, r.headers.get("Server-Timing"), time.monotonic() - t
