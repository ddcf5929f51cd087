"""A tiny SMTP server on loopback for the tests: it keeps every message it accepts (or refuses
every recipient, to play a server that says no)."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class SmtpSink:
    refuse_recipients: bool = False
    messages: list[Received] = field(default_factory=list)
    port: int = 0

    def __enter__(self) -> "SmtpSink":
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                _Session(self, sink).run()

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Session:
    """One SMTP conversation: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def __init__(self, handler, sink: SmtpSink):
        self.rfile, self.wfile, self.sink = handler.rfile, handler.wfile, sink
        self.sender, self.recipients = "", []

    def reply(self, *lines: str) -> None:
        self.wfile.write("".join(f"{line}\r\n" for line in lines).encode())

    def run(self) -> None:
        self.reply("220 sink ready")
        while line := self.rfile.readline():
            verb, _, rest = line.decode("utf-8", "replace").strip().partition(" ")
            if not self.answer(verb.upper(), rest):
                return

    def answer(self, verb: str, rest: str) -> bool:
        if verb == "EHLO":
            self.reply("250-sink", "250-8BITMIME", "250 SMTPUTF8")
        elif verb == "MAIL":
            self.sender, self.recipients = rest, []
            self.reply("250 ok")
        elif verb == "RCPT":
            self.recipient(rest)
        elif verb == "DATA":
            self.data()
        elif verb == "QUIT":
            self.reply("221 bye")
            return False
        else:  # HELO, RSET, NOOP
            self.reply("250 ok")
        return True

    def recipient(self, rest: str) -> None:
        if self.sink.refuse_recipients:
            self.reply("550 no such user here")
            return
        self.recipients.append(rest.partition(":")[2].strip(" <>"))
        self.reply("250 ok")

    def data(self) -> None:
        self.reply("354 go ahead")
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        self.sink.messages.append(Received(self.sender, self.recipients, b"".join(lines)))
        self.reply("250 queued")
