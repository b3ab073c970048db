#!/usr/bin/env python3
"""A stand-in for a calendar server (Google, Outlook, Nextcloud) for the tests, on
127.0.0.1:PORT, serving FOLDER:
  GET /<file>            the file, with an ETag and Last-Modified; 304 on a matching
                         If-None-Match (every request is appended to FOLDER/requests.log);
                         while FOLDER/<file>.status exists, that status instead (a
                         calendar server that starts failing)
  GET /gzip/<file>       the file gzip-compressed (Content-Encoding: gzip)
  GET /status/<code>     that status with a short text body
  GET /slow              answers after 60 s
  GET /big               10 MiB with Content-Length; /big-chunked the same without
  GET /redirect?to=URL   302 to URL
Prints "ready" once it listens; runs until killed."""
import gzip
import hashlib
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


class Feeds(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlparse(self.path)
        with open(os.path.join(self.server.folder, "requests.log"), "a") as log:
            log.write("%s %s\n" % (url.path, self.headers.get("If-None-Match", "-")))
        if url.path == "/slow":
            time.sleep(60)
            return self.reply(200, b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
        if url.path.startswith("/status/"):
            return self.reply(int(url.path[len("/status/"):]), b"no calendar here")
        if url.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", parse_qs(url.query)["to"][0])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if url.path in ("/big", "/big-chunked"):
            return self.big(url.path == "/big")
        compress = url.path.startswith("/gzip/")
        name = url.path[len("/gzip/"):] if compress else url.path[1:]
        path = os.path.join(self.server.folder, os.path.basename(name))
        if not name or not os.path.isfile(path):
            return self.reply(404, b"not found")
        if os.path.isfile(path + ".status"):
            with open(path + ".status") as f:
                return self.reply(int(f.read().strip()), b"failing on purpose")
        with open(path, "rb") as f:
            body = f.read()
        etag = '"%s"' % hashlib.sha1(body).hexdigest()
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        extra = {"ETag": etag, "Last-Modified": "Wed, 03 Mar 2027 10:00:00 GMT"}
        if compress:
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        return self.reply(200, body, "text/calendar; charset=utf-8", extra)

    def big(self, with_length):
        chunk = b"X" * 65536
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        if with_length:
            self.send_header("Content-Length", str(160 * len(chunk)))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for _ in range(160):
                if with_length:
                    self.wfile.write(chunk)
                else:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            if not with_length:
                self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def reply(self, status, body, content_type="text/plain", extra=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", port), Feeds)
    server.daemon_threads = True
    server.folder = folder
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
