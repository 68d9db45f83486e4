#!/usr/bin/env python3
"""`ibid lsp` against `typst watch` on copies of the thesis: the same
one-character edits (a locator `p. 33` made `pp. 33` and back, which makes
and clears a `locator-plural` finding), one every 1.5 s, for each.

For ibid a scripted editor sends each edit as `textDocument/didChange` on
the unsaved buffer and measures, from the send, the time until the server
publishes the chapter's diagnostics with the finding made or cleared (the
server waits for a pause in typing first, 300 ms). For typst the edit is
saved to disk and the time runs until the PDF changes. Median and worst of
EDITS edits; a benchmark, never a test.

    cargo build --release && python3 benches/lsp.py [EDITS]

typst-cli 0.15.1 is taken from PATH, else from target/peer/bin.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from watch import project, wait_mtime  # noqa: E402  (the same copy of the thesis, the same wait)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IBID = os.path.join(ROOT, "target", "release", "ibid")
EDITS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
CHAPTER = os.path.join("thesis", "chapters", "chapter2.typ")
CITED = "@xie1990[p. 33]"


def typst_binary():
    found = shutil.which("typst")
    peer = os.path.join(ROOT, "target", "peer", "bin", "typst")
    return found or (peer if os.path.exists(peer) else None)


def edited(text, n):
    """The chapter after edit n: `p. 33` becomes `pp. 33` (n even) and back."""
    if n % 2 == 0:
        return text.replace(CITED, CITED.replace("[p.", "[pp."), 1)
    return text.replace(CITED.replace("[p.", "[pp."), CITED, 1)


class Lsp:
    def __init__(self, cwd):
        env = dict(os.environ, TYPST_IGNORE_SYSTEM_FONTS="true")
        self.proc = subprocess.Popen(
            [IBID, "lsp", "thesis/main.typ", "--offline"], cwd=cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )
        self.messages = []
        self.lock = threading.Lock()
        self.next_id = 1
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.strip()
                if not line:
                    break
                if line.startswith(b"Content-Length:"):
                    length = int(line.split(b":")[1])
            body = json.loads(out.read(length))
            with self.lock:
                self.messages.append((time.monotonic(), body))

    def send(self, message):
        body = json.dumps(dict(message, jsonrpc="2.0")).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.send({"id": self.next_id, "method": method, "params": params})
        self.next_id += 1

    def wait(self, matches, after, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for at, message in self.messages:
                    if at >= after and matches(message):
                        return at
            time.sleep(0.002)
        raise TimeoutError("no such message")


def utf16(text):
    return len(text.encode("utf-16-le")) // 2


def bench_lsp():
    tmp = project()
    root = "file://" + os.path.realpath(tmp)
    uri = f"{root}/thesis/chapters/chapter2.typ"
    text = open(os.path.join(tmp, CHAPTER), encoding="utf-8").read()
    line_no = next(i for i, line in enumerate(text.split("\n")) if CITED in line)
    line = text.split("\n")[line_no]
    column = utf16(line[: line.index(CITED) + len("@xie1990[")])
    lsp = Lsp(tmp)
    lsp.request("initialize", {"processId": None, "rootUri": root, "capabilities": {}})
    lsp.send({"method": "initialized", "params": {}})
    start = time.monotonic()
    lsp.send({"method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "typst", "version": 1, "text": text}}})

    def published(plural):
        def matches(m):
            if m.get("method") != "textDocument/publishDiagnostics" or m["params"]["uri"] != uri:
                return False
            codes = [d.get("code") for d in m["params"]["diagnostics"]]
            return ("locator-plural" in codes) == plural
        return matches

    opened = lsp.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", start) - start
    time.sleep(1.5)
    times = []
    for n in range(EDITS):
        at = {"line": line_no, "character": column}
        if n % 2 == 0:
            change = {"range": {"start": at, "end": at}, "text": "p"}
        else:
            change = {"range": {"start": at, "end": dict(at, character=column + 1)}, "text": ""}
        start = time.monotonic()
        lsp.send({"method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": n + 2}, "contentChanges": [change]}})
        times.append(lsp.wait(published(n % 2 == 0), start) - start)
        time.sleep(1.5)
    lsp.request("shutdown", None)
    lsp.send({"method": "exit", "params": None})
    lsp.proc.wait(timeout=30)
    shutil.rmtree(tmp)
    return opened, times


def bench_typst(typst):
    tmp = project()
    out = os.path.join(tmp, "out.pdf")
    env = dict(os.environ, TYPST_IGNORE_SYSTEM_FONTS="true", NO_COLOR="1")
    proc = subprocess.Popen(
        [typst, "watch", "--root", tmp, "--font-path", os.path.join(tmp, "fonts"),
         os.path.join(tmp, "thesis", "main.typ"), out],
        cwd=tmp, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_mtime(out, None)
    time.sleep(1.5)
    path = os.path.join(tmp, CHAPTER)
    times = []
    for n in range(EDITS):
        text = open(path, encoding="utf-8").read()
        before = os.stat(out).st_mtime_ns
        start = time.monotonic()
        with open(path, "w", encoding="utf-8") as f:
            f.write(edited(text, n))
        times.append(wait_mtime(out, before) - start)
        time.sleep(1.5)
    proc.kill()
    proc.wait()
    shutil.rmtree(tmp)
    return times


def summary(label, seconds):
    ms = [s * 1000 for s in seconds]
    print(f"| {label} | {statistics.median(ms):.0f} | {max(ms):.0f} | {min(ms):.0f} |")


def main():
    typst = typst_binary()
    if typst is None:
        sys.exit("no typst 0.15.1: cargo install typst-cli --version 0.15.1 --locked")
    if not os.path.exists(IBID):
        sys.exit("no target/release/ibid: cargo build --release")
    typst_times = bench_typst(typst)
    opened, lsp_times = bench_lsp()
    print(f"{EDITS} one-character edits of the thesis (chapter 2), {os.cpu_count()} cores")
    print()
    print("| after an edit | median (ms) | worst (ms) | best (ms) |")
    print("| --- | --- | --- | --- |")
    summary("typst watch: save to PDF on disk", typst_times)
    summary("ibid lsp: change to diagnostics published", lsp_times)
    print()
    print(f"ibid lsp: first diagnostics {opened * 1000:.0f} ms after opening; "
          f"median ratio to typst watch {statistics.median(lsp_times) / statistics.median(typst_times):.2f}x")


if __name__ == "__main__":
    main()
