#!/usr/bin/env python3
"""validate_events.py [--schema S] FILE...: validate every line of NDJSON
files (smtpscope --json output; '-' for stdin) against tests/events.schema.json.

Also checks what JSON Schema cannot say across lines: exactly one final
capture.stats event, the last line (a long-running capture writes others
before it, with "reason" "interval" or "signal"); every smtp.transaction's session has
one smtp.session event; trans_depth counts 1, 2, ... within a session; no
object has a key twice.
Prints one line per problem; exit 0 when all lines are valid, 1 otherwise,
2 on usage errors."""
import argparse
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate_events.py: python3-jsonschema is missing "
             "(tools/install-deps.sh test)")

HERE = os.path.dirname(os.path.abspath(__file__))


def validator(schema_path):
    with open(schema_path) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def no_duplicate_keys(pairs):
    """json.loads hook: a key twice in one object is an error (Python would
    keep the last one silently; other readers keep the first)."""
    obj = {}
    for k, val in pairs:
        if k in obj:
            raise ValueError(f"duplicate key {k!r}")
        obj[k] = val
    return obj


def check_file(v, path, out):
    bad = 0
    events = []
    f = sys.stdin if path == "-" else open(path, encoding="utf-8",
                                           errors="surrogateescape")
    with f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                out.append(f"{path}:{n}: empty line")
                bad += 1
                continue
            try:
                ev = json.loads(line, object_pairs_hook=no_duplicate_keys)
            except ValueError as e:
                out.append(f"{path}:{n}: not JSON: {e}")
                bad += 1
                continue
            errs = sorted(v.iter_errors(ev), key=lambda e: list(e.path))
            for e in errs[:5]:
                where = "/".join(str(p) for p in e.absolute_path) or "(top)"
                out.append(f"{path}:{n}: {ev.get('event') if isinstance(ev, dict) else '?'}"
                           f" {where}: {e.message[:300]}")
            bad += bool(errs)
            events.append((n, ev))
    # cross-line checks
    stats = [(n, ev) for n, ev in events
             if isinstance(ev, dict) and ev.get("event") == "capture.stats"]
    final = [n for n, ev in stats if ev.get("reason", "final") == "final"]
    if len(final) != 1:
        out.append(f"{path}: {len(final)} final capture.stats events, want exactly 1")
        bad += 1
    elif events and final[0] != events[-1][0]:
        out.append(f"{path}:{final[0]}: the final capture.stats is not the last event")
        bad += 1
    sessions = {}
    depth = {}
    for n, ev in events:
        if not isinstance(ev, dict):
            continue
        sid = json.dumps(ev.get("session"))
        if ev.get("event") == "smtp.session":
            sessions[sid] = sessions.get(sid, 0) + 1
        elif ev.get("event") == "smtp.transaction":
            want = depth.get(sid, 0) + 1
            if ev.get("trans_depth") != want:
                out.append(f"{path}:{n}: trans_depth {ev.get('trans_depth')}"
                           f", want {want} (session {sid})")
                bad += 1
            depth[sid] = ev.get("trans_depth") if isinstance(
                ev.get("trans_depth"), int) else want
    for sid in depth:
        if sessions.get(sid, 0) != 1:
            out.append(f"{path}: session {sid} has transactions but "
                       f"{sessions.get(sid, 0)} smtp.session events")
            bad += 1
    for sid, c in sessions.items():
        if c != 1:
            out.append(f"{path}: session {sid}: {c} smtp.session events")
            bad += 1
    return bad, len(events)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schema", default=os.path.join(HERE, "events.schema.json"))
    ap.add_argument("-q", "--quiet", action="store_true",
                    help="print only problems")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    try:
        v = validator(a.schema)
    except (OSError, ValueError, jsonschema.SchemaError) as e:
        print(f"validate_events.py: bad schema {a.schema}: {e}", file=sys.stderr)
        return 2
    total_bad = 0
    for p in a.files:
        out = []
        try:
            bad, n = check_file(v, p, out)
        except OSError as e:
            print(f"{p}: {e}")
            total_bad += 1
            continue
        for line in out[:50]:
            print(line)
        if len(out) > 50:
            print(f"{p}: ... {len(out) - 50} more problems")
        if not a.quiet or bad:
            print(f"{p}: {n} events, {bad} invalid")
        total_bad += bad
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main())
