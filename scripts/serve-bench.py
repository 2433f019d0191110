#!/usr/bin/env python3
"""Edit-to-new-bytes latency of `rectify serve` on a generated site. Not run in CI.

Usage: scripts/serve-bench.py [CASES] [EDITS]      (default: 10000 cases, 20 edits)

Generates CASES cases with the repository's generator, starts the release `rectify serve --port 0`
on them, then:
  * EDITS times: rewrites one case file (its `name:`) and polls that case's page until it serves the
    new bytes; prints each latency and the median (the target is <= 100 ms at 10,000 cases);
  * renames a department in organisation.yaml (its name is on its cases' pages, its own page and
    the task list), and separately edits the case page's template of
    a site theme. After each save it waits out the watcher's debounce (60 ms), then asks for pages
    the edit changes and measures, from the save, when each came back with the new bytes (and
    whether the first answer already had them: serve holds a request for a page an update may
    change until it is rendered again); and when serve reports the whole site updated. Target:
    every page correct within 2 s.
Set RECTIFY_BENCH_CONTENT=DIR to reuse a generated content folder (it is edited, then restored).
"""

import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(*args):
    subprocess.run(args, cwd=ROOT, check=True)


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body


class Serve:
    def __init__(self, content):
        exe = os.path.join(ROOT, "target/release/rectify")
        self.p = subprocess.Popen(
            [exe, "serve", "--port", "0", "--content", content],
            stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        line = self.wait(lambda l: "http://127.0.0.1:" in l)
        self.port = int(re.search(r"127\.0\.0\.1:(\d+)", line).group(1))
        self.wait(lambda l: "已更新" in l or "updated" in l)

    def _read(self):
        for line in self.p.stderr:
            with self.cv:
                self.lines.append(line.rstrip("\n"))
                self.cv.notify_all()

    def wait(self, pred, start=0, timeout=600):
        end = time.time() + timeout
        with self.cv:
            while True:
                for l in self.lines[start:]:
                    if pred(l):
                        return l
                start = len(self.lines)
                left = end - time.time()
                if left <= 0:
                    raise SystemExit("serve did not print the expected line:\n" + "\n".join(self.lines[-20:]))
                self.cv.wait(left)

    def mark(self):
        with self.cv:
            return len(self.lines)

    def stop(self):
        self.p.terminate()
        self.p.wait()


def poll(s, page, marker, t0):
    """Asks for `page` until it holds `marker`; returns how many answers that took."""
    tries = 0
    while True:
        tries += 1
        status, body = get(s.port, page)
        if marker.encode() in body:
            return tries
        if time.perf_counter() - t0 > 30:
            raise SystemExit(f"{page} never showed the edit")
        time.sleep(0.002)


def edit_latency(s, content, files, edits):
    rng = random.Random(7)
    out = []
    for i in range(edits):
        rel = rng.choice(files)
        path = os.path.join(content, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        cid = re.search(r"^id: (\S+)", text, re.M).group(1)
        marker = f"基准{i}-{time.time_ns()}"
        new = re.sub(r"^name: ", f"name: {marker}", text, count=1, flags=re.M)
        page = f"/cases/{cid}.html"
        mark = s.mark()
        t0 = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(new)
        poll(s, page, marker, t0)
        ms = (time.perf_counter() - t0) * 1000
        out.append(ms)
        print(f"  edit {i + 1:2}: {rel} -> {page} {ms:7.1f} ms")
        # Let the aggregates settle so edits do not pile up on each other, then undo the edit.
        s.wait(lambda l: "已更新" in l or "updated" in l, start=mark)
        mark = s.mark()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        s.wait(lambda l: "已更新" in l or "updated" in l, start=mark)
    return out


def whole_site(s, label, change, pages, marker):
    """Saves with `change`, asks for `pages` after the debounce, and times each answer that holds
    `marker` and the whole site's update, all from the save."""
    mark = s.mark()
    t0 = time.perf_counter()
    change()
    time.sleep(0.06)
    for page in pages:
        tries = poll(s, page, marker, t0)
        ms = (time.perf_counter() - t0) * 1000
        first = "the first answer" if tries == 1 else f"after {tries} answers"
        print(f"  {label}: {page} new after {ms:.0f} ms ({first})")
    line = s.wait(lambda l: "已更新" in l or "updated" in l or "内容有错误" in l or "has errors" in l,
                  start=mark)
    if "已更新" not in line and "updated" not in line:
        raise SystemExit(f"{label}: the edit made the content invalid: {line}")
    ms = (time.perf_counter() - t0) * 1000
    print(f"  {label}: every page updated after {ms:.0f} ms ({line})")
    return ms


def main():
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    run("cargo", "build", "--release", "--quiet", "--bin", "rectify", "--bin", "gen-content")
    work = tempfile.mkdtemp(prefix="rectify-serve-bench-")
    try:
        content = os.path.join(work, "content")
        given = os.environ.get("RECTIFY_BENCH_CONTENT")
        if given:
            shutil.copytree(given, content)
        else:
            run(os.path.join(ROOT, "target/release/gen-content"), "--out", content, "--cases", str(cases))
        files = sorted(
            os.path.relpath(os.path.join(d, f), content)
            for d, _, fs in os.walk(os.path.join(content, "cases")) for f in fs if f.endswith(".yaml"))
        # Cases with `publish: false` have no page in a public build: edit published ones.
        published = [f for f in files if "\npublish: false" not in open(os.path.join(content, f), encoding="utf-8").read()]
        t0 = time.perf_counter()
        s = Serve(content)
        print(f"{len(files)} cases; first build served after {(time.perf_counter() - t0) * 1000:.0f} ms")
        try:
            lat = edit_latency(s, content, published, edits)
            print(f"edit -> new bytes: median {statistics.median(lat):.1f} ms, "
                  f"min {min(lat):.1f}, max {max(lat):.1f} over {len(lat)} edits")
            org = os.path.join(content, "organisation.yaml")
            with open(org, encoding="utf-8") as f:
                text = f.read()
            # A department's name: on the pages of its cases, its own page and the task pages.
            # (Cases name their streets by name too, so renaming a street would make the content
            # invalid.)
            case = published[0]
            with open(os.path.join(content, case), encoding="utf-8") as f:
                uid = re.search(r"^units:\n  - (\S+)$", f.read(), re.M).group(1)
            name = re.search(rf"^  - id: {uid}\n    name: (\S+)$", text, re.M).group(1)
            renamed = name + "（新）"
            case_page = "/cases/" + os.path.basename(case)[:-len(".yaml")] + ".html"

            def rename_unit():
                with open(org, "w", encoding="utf-8") as f:
                    f.write(text.replace(f"- id: {uid}\n    name: {name}\n", f"- id: {uid}\n    name: {renamed}\n", 1))
            pages = [case_page, f"/units/{uid}.html", "/tasks/"]
            whole_site(s, "organisation.yaml", rename_unit, pages, renamed)
            theme = os.path.join(work, "themes", "default", "templates")
            os.makedirs(theme, exist_ok=True)
            src = os.path.join(ROOT, "themes", "default", "templates", "case.html")
            with open(src, encoding="utf-8") as f:
                tpl = f.read()

            def edit_template():
                with open(os.path.join(theme, "case.html"), "w", encoding="utf-8") as f:
                    f.write(tpl.replace("</", "<!-- bench --></", 1))
            # The themes folder must exist when serve starts to be watched: restart on it.
            s.stop()
            s = Serve(content)
            rng = random.Random(11)
            pages = ["/cases/" + os.path.basename(f)[:-len(".yaml")] + ".html" for f in rng.sample(published, 5)]
            whole_site(s, "template case.html", edit_template, pages, "<!-- bench -->")
        finally:
            s.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
