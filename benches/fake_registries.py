#!/usr/bin/env python3
"""Loopback registries for benches/registries.sh: doi.org content negotiation
(CSL-JSON), Crossref (`/works/{doi}`, `/works?query.bibliographic=`), OpenAlex
(under `/openalex`: `/works/doi:{doi}`, `/works?search=`) and Open Library
(`/api/books`, `/search.json`), answering in the registries' shapes from the
works in WORKS.json, each answer after LATENCY seconds. It counts, per pool,
the requests, the most open at once and the most started in any one second,
and serves them at `/__stats` (which resets them).

    fake_registries.py WORKS.json PORT-FILE [LATENCY]
"""
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

works = json.load(open(sys.argv[1]))
latency = float(sys.argv[3]) if len(sys.argv) > 3 else 0.1
by_doi = {w["doi"]: w for w in works if w.get("doi")}
by_isbn = {w["isbn"]: w for w in works if w.get("isbn")}
lock = threading.Lock()
stats = {}


def pool(path, query):
    if path.startswith("/openalex"):
        return "openalex"
    if path in ("/api/books", "/search.json"):
        return "openlibrary"
    if path == "/works" and query:
        return "crossref-search"
    return "crossref"


def csl(w):
    return {
        "type": w["type"],
        "DOI": w.get("doi"),
        "title": w["title"],
        "author": [{"family": f, "given": "A."} for f in w["authors"]],
        "issued": {"date-parts": [[w["year"]]]},
        "container-title": w.get("journal", ""),
        "page": w.get("pages", ""),
        "ISBN": [w["isbn"]] if w.get("isbn") else [],
    }


def crossref(w):
    m = csl(w)
    m["type"] = "journal-article"
    m["title"] = [w["title"]]
    m["container-title"] = [w.get("journal", "")]
    if w.get("retracted"):
        m["updated-by"] = [{"DOI": "10.5555/notice." + w["doi"][-4:], "type": "retraction",
                            "source": "retraction-watch", "label": "Retraction",
                            "updated": {"date-parts": [[w["year"] + 2, 3, 1]]}}]
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": m}


def openalex(w):
    return {"id": "https://openalex.org/W1", "doi": "https://doi.org/" + w["doi"], "title": w["title"],
            "display_name": w["title"], "publication_year": w["year"],
            "authorships": [{"author": {"display_name": "A. " + f}} for f in w["authors"]],
            "type": "article", "is_retracted": bool(w.get("retracted"))}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        path, query = urllib.parse.unquote(url.path), urllib.parse.parse_qs(url.query)
        if path == "/__stats":
            with lock:
                body = json.dumps(stats)
                stats.clear()
            return self.reply(200, body)
        name = pool(path, url.query)
        now = time.monotonic()
        with lock:
            s = stats.setdefault(name, {"requests": 0, "open": 0, "most_open": 0, "starts": [], "most_per_second": 0})
            s["requests"] += 1
            s["open"] += 1
            s["most_open"] = max(s["most_open"], s["open"])
            s["starts"] = [t for t in s["starts"] if now - t < 1.0] + [now]
            s["most_per_second"] = max(s["most_per_second"], len(s["starts"]))
        try:
            time.sleep(latency)
            code, body = self.answer(path, query)
            self.reply(code, body)
        finally:
            with lock:
                stats[name]["open"] -= 1

    def answer(self, path, query):
        if path.startswith("/works/") and path[7:] in by_doi:
            return 200, json.dumps(crossref(by_doi[path[7:]]))
        if path.startswith("/openalex/works/doi:") and path[20:] in by_doi:
            return 200, json.dumps(openalex(by_doi[path[20:]]))
        if path[1:] in by_doi:
            return 200, json.dumps(csl(by_doi[path[1:]]))
        if path == "/works":
            terms = query.get("query.bibliographic", [""])[0].lower()
            items = [crossref(w)["message"] for w in works
                     if w.get("searchable") and w["title"].lower() in terms]
            return 200, json.dumps({"status": "ok", "message-type": "work-list",
                                    "message": {"total-results": len(items), "items": items}})
        if path == "/openalex/works":
            return 200, json.dumps({"meta": {"count": 0}, "results": [], "group_by": []})
        if path == "/api/books":
            key = query.get("bibkeys", [""])[0]
            w = by_isbn.get(key.removeprefix("ISBN:"))
            if not w:
                return 200, "{}"
            return 200, json.dumps({key: {"title": w["title"], "authors": [{"name": "A. " + f} for f in w["authors"]],
                                          "publish_date": str(w["year"]), "number_of_pages": w["page_count"],
                                          "publishers": [{"name": "Press"}],
                                          "identifiers": {"isbn_13": [w["isbn"]]}}})
        if path == "/search.json":
            return 200, json.dumps({"numFound": 0, "docs": []})
        return 404, json.dumps({"status": "error", "message": "Resource not found."})

    def reply(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
open(sys.argv[2], "w").write(str(server.server_address[1]))
server.serve_forever()
