#!/usr/bin/env python3
"""A local webhook receiver for the tests: answers every POST on 127.0.0.1:PORT with
204 and writes the signature header and the body into FOLDER (one .json file and one
.sig file per call). Prints "ready" once it listens; runs until killed."""
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver(BaseHTTPRequestHandler):
    count = 0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Receiver.count += 1
        base = os.path.join(self.server.folder, "%d-%06d" % (time.time_ns(), Receiver.count))
        with open(base + ".sig", "w") as f:
            f.write(self.headers.get("X-Sprechstunde-Signature", ""))
        with open(base + ".tmp", "wb") as f:
            f.write(body)
        os.rename(base + ".tmp", base + ".json")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    server = HTTPServer(("127.0.0.1", port), Receiver)
    server.folder = folder
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
