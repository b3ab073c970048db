#!/usr/bin/env python3
"""A local SMTP sink for the mail tests: accepts every message on 127.0.0.1:PORT and
writes it, with its envelope recipients, as one .eml file into FOLDER. Prints "ready"
once it listens; runs until killed. Never relays anything anywhere."""
import os
import signal
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.folder, "%d-%06d.eml" % (time.time_ns(), self.count))
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode()
        with open(name + ".tmp", "wb") as f:
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(data)
        os.rename(name + ".tmp", name)  # readers never see half a message
        return "250 OK"


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    while True:
        signal.pause()


if __name__ == "__main__":
    main()
