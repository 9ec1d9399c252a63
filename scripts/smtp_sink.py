#!/usr/bin/env python3
"""A real SMTP server for the test suite (aiosmtpd). Every message it receives is decoded with
Python's email package and written as one JSON file per recipient into the sink folder, so tests
can check what arrived: {"to", "from", "subject", "body", "raw"}.

Usage: smtp_sink.py HOST PORT FOLDER
"""
import asyncio
import json
import os
import sys
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        for rcpt in envelope.rcpt_tos:
            self.n += 1
            name = f"{time.time_ns()}-{os.getpid()}-{self.n}.json"
            record = {
                "to": rcpt,
                "from": envelope.mail_from,
                "subject": str(msg.get("Subject", "")),
                "body": text,
                "raw": (envelope.original_content or envelope.content).decode("utf-8", "replace"),
            }
            tmp = os.path.join(self.folder, name + ".tmp")
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(record, f, ensure_ascii=False)
            os.rename(tmp, os.path.join(self.folder, name))
        return "250 Message accepted for delivery"


def main():
    host, port, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname=host, port=port)
    controller.start()
    print(f"smtp sink listening on {host}:{port}, writing to {folder}", flush=True)
    try:
        asyncio.new_event_loop().run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
