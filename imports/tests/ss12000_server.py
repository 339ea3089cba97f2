"""A recorded SS12000 server for the tests: http.server in a thread, answering with the JSON files in ss12000/.

A request with `meta.modified.after` or `after` is a delta and reads ss12000/delta/, otherwise ss12000/full/;
`pageToken=X` reads `<resource>-X.json`. Placeholders (%CHILD% ...) are filled from the test's values.
Requests are kept so a test can see what the client asked for. Nothing here reaches the internet.
"""

from __future__ import annotations

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED = Path(__file__).resolve().parent / "ss12000"


class RecordedServer:
    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                parsed = urllib.parse.urlparse(self.path)
                query = urllib.parse.parse_qs(parsed.query)
                folder = "delta" if ("meta.modified.after" in query or "after" in query) else "full"
                name = parsed.path.removeprefix("/v2/").strip("/")
                if "pageToken" in query:
                    name = f"{name}-{query['pageToken'][0]}"
                path = RECORDED / folder / f"{name}.json"
                if "/" in name or not path.is_file():
                    self.send_response(404)
                    self.end_headers()
                    return
                body = path.read_text()
                for key, value in server.values.items():
                    body = body.replace(f"%{key}%", value)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v2"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> RecordedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
