#!/usr/bin/env python3
"""`ibid watch` against `typst watch` on copies of the thesis: the same ten
one-character edits to the abstract, one every few seconds, for each.

For typst it measures, from the save, the time until the PDF changes on
disk (and reads typst's own "compiled ... in" figure when it prints one).
For ibid it measures the time until the audit's status line ("compiled in
... ms; audit: ...", the new findings printed before it) and until the PDF
is written ("wrote ..."). Medians and ranges; a benchmark, never a test.

    cargo build --release && python3 benches/watch.py [EDITS]

typst-cli 0.15.1 is taken from PATH (cargo install typst-cli --version
0.15.1 --locked).
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IBID = os.path.join(ROOT, "target", "release", "ibid")
EDITS = int(sys.argv[1]) if len(sys.argv) > 1 else 10
ABSTRACT = os.path.join("thesis", "chapters", "abstract.typ")


def project():
    """A copy of the thesis project in a temporary folder."""
    tmp = tempfile.mkdtemp(prefix="ibid-watch-bench-")
    for folder in ("thesis", "bibliography", "fonts"):
        shutil.copytree(os.path.join(ROOT, folder), os.path.join(tmp, folder))
    return tmp


class Process:
    """A running watcher and the lines it prints, with the time of each."""

    def __init__(self, cmd, cwd):
        env = dict(os.environ, TYPST_IGNORE_SYSTEM_FONTS="true", NO_COLOR="1")
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            with self.lock:
                self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_line(self, pattern, after, timeout=120):
        """The first line matching `pattern` printed after `after`."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            with self.lock:
                for at, line in self.lines:
                    if at >= after and regex.search(line):
                        return at, line
            time.sleep(0.005)
        raise TimeoutError(pattern)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def edit(path, n):
    """Changes one character of the abstract: `a` and `b` in turn."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    marker = "Leap"
    if n % 2 == 0:
        text = text.replace(marker, "Leaq", 1)
    else:
        text = text.replace("Leaq", marker, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def wait_mtime(path, before, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if os.stat(path).st_mtime_ns != before:
                return time.monotonic()
        except FileNotFoundError:
            pass
        time.sleep(0.002)
    raise TimeoutError(path)


def bench_typst():
    tmp = project()
    out = os.path.join(tmp, "out.pdf")
    proc = Process(
        ["typst", "watch", "--root", tmp, "--font-path", os.path.join(tmp, "fonts"),
         os.path.join(tmp, "thesis", "main.typ"), out],
        tmp,
    )
    wait_mtime(out, None)
    time.sleep(1.5)
    pdf, own = [], []
    for n in range(EDITS):
        before = os.stat(out).st_mtime_ns
        start = time.monotonic()
        edit(os.path.join(tmp, ABSTRACT), n)
        pdf.append(wait_mtime(out, before) - start)
        try:
            _, line = proc.wait_line(r"compiled (successfully|with warnings) in", start, timeout=5)
            m = re.search(r"in ([\d.]+)\s*(ms|s)", line)
            if m:
                own.append(float(m.group(1)) * (1000 if m.group(2) == "s" else 1))
        except TimeoutError:
            pass
        time.sleep(1.5)
    proc.stop()
    shutil.rmtree(tmp)
    return pdf, own


def bench_ibid():
    tmp = project()
    out = os.path.join(tmp, "out.pdf")
    proc = Process([IBID, "watch", "thesis/main.typ", "-o", out, "--offline"], tmp)
    proc.wait_line(r"^watching for changes", 0)
    time.sleep(1.5)
    findings, pdf, compile_ms = [], [], []
    for n in range(EDITS):
        start = time.monotonic()
        edit(os.path.join(tmp, ABSTRACT), n)
        at, line = proc.wait_line(r"^compiled in \d+ ms; audit:", start)
        findings.append(at - start)
        compile_ms.append(int(re.search(r"compiled in (\d+) ms", line).group(1)))
        at, _ = proc.wait_line(r"^wrote ", start)
        pdf.append(at - start)
        proc.wait_line(r"^watching for changes", at)
        time.sleep(1.5)
    proc.stop()
    shutil.rmtree(tmp)
    return findings, pdf, compile_ms


def summary(label, seconds):
    ms = [s * 1000 for s in seconds]
    print(f"{label:<46} median {statistics.median(ms):7.0f} ms  (range {min(ms):.0f}-{max(ms):.0f}, {len(ms)} edits)")


def main():
    if shutil.which("typst") is None:
        sys.exit("typst is not on PATH: cargo install typst-cli --version 0.15.1 --locked")
    if not os.path.exists(IBID):
        sys.exit("no target/release/ibid: cargo build --release")
    typst_pdf, typst_own = bench_typst()
    ibid_findings, ibid_pdf, ibid_compile = bench_ibid()
    summary("typst watch: save to PDF on disk", typst_pdf)
    if typst_own:
        summary("typst watch: its own 'compiled in'", [ms / 1000 for ms in typst_own])
    summary("ibid watch: save to audit printed", ibid_findings)
    summary("ibid watch: save to PDF on disk", ibid_pdf)
    summary("ibid watch: its own 'compiled in'", [ms / 1000 for ms in ibid_compile])
    t = statistics.median(typst_pdf)
    print(f"ratios to typst's PDF: findings {statistics.median(ibid_findings) / t:.2f}x, "
          f"PDF {statistics.median(ibid_pdf) / t:.2f}x")


if __name__ == "__main__":
    main()
