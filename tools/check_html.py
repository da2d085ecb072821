#!/usr/bin/env python3
"""check_html.py SPEC...: checks pages written by `smtpscope --html`.

Each SPEC is one job (one Python start for them all: it is the slow part):

  page:PAGE.html[:TRANSCRIPT.txt]
      well-formed (every tag closed in order, nothing left open), loads
      nothing (no script, link, img, iframe... no src/href/url()/@import),
      and, given the transcript of the same run, one arrow per exchanged
      line: per session, the arrows' lines are the transcript's C:/S: lines
      in order, a multi-line reply ("250-..." lines then "250 ...") being
      one arrow. When the transcript has --explain notes ("     # ..."),
      each arrow's box of notes holds the notes of its lines, and the
      transaction notes are under the transaction.
  dom:DOM.html:TRANSCRIPT.txt:PNG
      the same on the DOM Chromium rendered (--dump-dom), and the
      screenshot is a PNG of the window's size (1200x3000) that is not
      blank.
  fail:page:...
      the same job must fail: the checker's own test.

Prints one line per check ("ok ..." or "FAIL ..."); exit 1 on any failure.
"""
import re
import struct
import sys
import zlib
from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "wbr", "input", "col", "area", "base", "img",
        "link", "source", "track", "embed", "param"}
# Tags that load or run something: the page must have none.
FORBIDDEN_TAGS = {"script", "link", "img", "iframe", "frame", "object",
                  "embed", "base", "audio", "video", "source", "form",
                  "svg", "image", "picture", "template", "noscript"}
ALLOWED_ATTRS = {"class", "id", "lang", "charset", "colspan", "type",
                 "checked", "for"}
CODE_RE = re.compile(r"^\d{3}")


class Page(HTMLParser):
    """Parses strictly and collects the arrows of each session."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []		# (tag, classes)
        self.errors = []
        self.styles = []
        self.sessions = {}	# id -> [[dir, text, notes]]
        self.txn = {}		# id -> the transaction notes' text
        self.session = None
        self.arrow = None	# [dir, text] being read
        self.arrow_depth = None	# stack depth of its div
        self.label_depth = None	# stack depth of the arrow's div.l
        self.skip_depth = None	# inside span.t, .ms or .x: not wire text
        self.note_depth = None	# inside div.x: an arrow's notes
        self.txn_depth = None	# inside div.txn: a transaction's notes

    def handle_starttag(self, tag, attrs):
        self.tag_checks(tag, attrs)
        classes = set()
        for k, v in attrs:
            if k == "class" and v:
                classes = set(v.split())
        if tag == "section" and dict(attrs).get("id", "").startswith(
                "session-"):
            self.session = int(dict(attrs)["id"][8:])
            self.sessions[self.session] = []
        if tag in VOID:
            return
        self.stack.append((tag, classes))
        if tag == "div" and "a" in classes and self.session is not None:
            d = "C" if "c" in classes else "S" if "s" in classes else "?"
            self.arrow = [d, "", ""]
            self.arrow_depth = len(self.stack)
            self.sessions[self.session].append(self.arrow)
        if self.arrow is not None and tag == "div" and "l" in classes:
            self.label_depth = len(self.stack)
        if self.skip_depth is None and classes & {"t", "ms", "x"}:
            self.skip_depth = len(self.stack)
        if "x" in classes and self.arrow is not None:
            self.note_depth = len(self.stack)
        if "txn" in classes and self.session is not None:
            self.txn_depth = len(self.stack)
            self.txn.setdefault(self.session, "")

    def tag_checks(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.errors.append("forbidden tag <%s>" % tag)
        for k, v in attrs:
            if k not in ALLOWED_ATTRS:
                self.errors.append("attribute %s=%r on <%s>" % (k, v, tag))

    def handle_startendtag(self, tag, attrs):
        self.tag_checks(tag, attrs)
        if tag not in VOID:
            self.errors.append("self-closed <%s/>" % tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append("</%s> closes %s" % (
                tag, self.stack[-1][0] if self.stack else "nothing"))
            return
        depth = len(self.stack)
        self.stack.pop()
        if self.skip_depth == depth:
            self.skip_depth = None
        if self.note_depth == depth:
            self.note_depth = None
        if self.txn_depth == depth:
            self.txn_depth = None
            self.txn[self.session] += "\n"
        if self.label_depth == depth:
            self.label_depth = None
        if self.arrow_depth == depth:
            self.arrow = self.arrow_depth = None
        if tag == "section":
            self.session = None

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "style":
            self.styles.append(data)
        if self.arrow is not None and self.label_depth is not None and \
                self.skip_depth is None:
            self.arrow[1] += data
        if self.arrow is not None and self.note_depth is not None:
            self.arrow[2] += data
        if self.txn_depth is not None:
            self.txn[self.session] += data

    def close(self):
        super().close()
        for tag, _ in self.stack:
            self.errors.append("<%s> never closed" % tag)


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    css = "".join(p.styles)
    for bad in ("url(", "@import", "//", "@font-face"):
        if bad in css:
            p.errors.append("style sheet has %r" % bad)
    return p


def transcript_arrows(path):
    """{session: [(dir, [lines], [notes])]} by the page's rule for arrows;
    notes: the --explain lines ("     # ...") that follow its lines."""
    sessions, cur = {}, None
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f.read().split("\n"):
            m = re.match(r"^(?:== session|-- session) (\d+)", line)
            if m:
                cur = int(m.group(1))
                sessions.setdefault(cur, [])
                continue
            if cur is not None and line.startswith("     # ") and \
                    sessions[cur]:
                sessions[cur][-1][2].append(line[7:])
                continue
            if cur is None or line[:3] not in ("C: ", "S: "):
                continue
            d, text = line[0], line[3:]
            arrows = sessions[cur]
            if d == "S" and arrows and arrows[-1][0] == "S" and \
                    re.match(r"^\d{3}-", arrows[-1][1][-1]) and \
                    CODE_RE.match(text):
                arrows[-1][1].append(text)
            else:
                arrows.append((d, [text], []))
    return sessions


def compare_arrows(page, transcript, what):
    """Per session, the page's arrows against the transcript's."""
    want = transcript_arrows(transcript)
    failures, arrows, lines, noted = [], 0, 0, 0
    for sid, expected in sorted(want.items()):
        got = page.sessions.get(sid)
        if got is None:
            failures.append("session %d not on the page" % sid)
            continue
        got_lines = [(d, t.split("\n")) for d, t, _ in got]
        if len(got) != len(expected):
            failures.append("session %d: %d arrows, transcript %d" % (
                sid, len(got), len(expected)))
        for i, (g, e) in enumerate(zip(got_lines, expected)):
            if g[0] != e[0] or g[1] != e[1]:
                failures.append("session %d arrow %d: %r != %r" % (
                    sid, i + 1, g, e[:2]))
                break
        txn = page.txn.get(sid, "").split("\n")
        for i, (g, e) in enumerate(zip(got, expected)):
            if not e[2]:
                continue
            # The arrow's notes, then (after a transaction's last reply)
            # the transaction's, which the page draws under it.
            notes = g[2].split("\n") if g[2] else []
            if notes != e[2][:len(notes)] or \
                    any(n not in txn for n in e[2][len(notes):]):
                failures.append("session %d arrow %d notes: %r != %r" % (
                    sid, i + 1, notes, e[2]))
                break
            noted += bool(notes)
        arrows += len(expected)
        lines += sum(len(e[1]) for e in expected)
    extra = set(page.sessions) - set(want)
    if extra:
        failures.append("sessions on the page only: %s" % sorted(extra))
    report(not failures, "%s: %d arrows for %d exchanged lines in %d "
           "sessions%s" % (what, arrows, lines, len(want),
                           ", %d with their notes" % noted if noted else ""),
           failures)


def png_check(path, width, height):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG"
    w, h = struct.unpack(">II", data[16:24])
    if (w, h) != (width, height):
        return "%dx%d, not %dx%d" % (w, h, width, height)
    idat, pos = b"", 8
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw = zlib.decompress(idat)
    # A blank page filters to runs of 0 and 255; text, arrows and colours
    # leave many other byte values.
    busy = sum(1 for b in raw[::7] if b not in (0, 255))
    if busy < 2000:
        return "looks blank (%d busy samples)" % busy
    return None


class Job:
    """The checks of one SPEC; `expect_fail` turns the verdict around."""

    def __init__(self, expect_fail):
        self.expect_fail = expect_fail
        self.failed = 0
        self.lines = []

    def report(self, ok, what, details=()):
        self.lines.append("%s %s" % ("ok  " if ok else "FAIL", what))
        self.lines += ["     %s" % d for d in list(details)[:5]]
        self.failed += not ok


report = None


def run(spec):
    global report
    expect_fail = spec.startswith("fail:")
    parts = spec[5:].split(":") if expect_fail else spec.split(":")
    job = Job(expect_fail)
    report = job.report
    try:
        page = parse(parts[1])
        report(not page.errors, "%s: well-formed, loads nothing" % parts[1],
               page.errors)
        if len(parts) > 2:
            compare_arrows(page, parts[2], parts[1])
        if parts[0] == "dom":
            err = png_check(parts[3], 1200, 3000)
            report(err is None, "%s: a PNG, not blank" % parts[3],
                   [err] if err else [])
    except (OSError, ValueError, IndexError, zlib.error) as e:
        report(False, "%s: %s" % (spec, e))
    if not expect_fail:
        print("\n".join(job.lines))
        return job.failed == 0
    ok = job.failed > 0
    print("%s checker fails as it must on %s" % ("ok  " if ok else "FAIL",
                                                  spec[5:]))
    return ok


def main(argv):
    if len(argv) < 2 or any(a.split(":")[-1] == "" for a in argv[1:]):
        sys.exit(__doc__)
    results = [run(spec) for spec in argv[1:]]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
