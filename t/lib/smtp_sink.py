#!/usr/bin/python3
"""A small SMTP server for the mail tests: listens on loopback and writes
every message it accepts to a directory. Debian's own python3 standard
library only (run it with /usr/bin/python3).

  smtp_sink.py --dir DIR --port PORT [--auth USER:PASSWORD]
               [--starttls CERT KEY] [--pid-file F]

DIR/NNNN.eml       each accepted message, prefixed with X-Sink-* lines:
                   the envelope (MAIL FROM, RCPT TO), whether the session
                   was encrypted and who authenticated
DIR/session.log    one line per command received: the tests read it to
                   prove what did (not) go over the wire
Replies on demand, by recipient local part:
  temp...@   451 4.3.0 at RCPT (a temporary failure)
  reject...@ 550 5.1.1 at RCPT (a permanent failure)
  slow...@   no answer to RCPT for 8 seconds (a server that hangs)
--auth makes AUTH (PLAIN or LOGIN) required before MAIL FROM;
--starttls offers STARTTLS with that certificate (none offered without).
"""
import argparse
import base64
import os
import socketserver
import ssl
import sys
import threading
import time

LOCK = threading.Lock()


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def log(self, what):
        with LOCK:
            with open(os.path.join(ARGS.dir, "session.log"), "a") as f:
                f.write(what + "\n")

    def readline(self):
        line = self.rfile.readline(65536)
        if not line:
            raise EOFError
        return line.rstrip(b"\r\n").decode("utf-8", "replace")

    def ehlo_lines(self):
        lines = ["250-sink.test", "250-8BITMIME", "250-PIPELINING"]
        if ARGS.starttls and not self.tls:
            lines.append("250-STARTTLS")
        if ARGS.auth:
            lines.append("250-AUTH PLAIN LOGIN")
        lines.append("250 SIZE 10485760")
        return lines

    def check_auth(self, user, password):
        ok = ARGS.auth and f"{user}:{password}" == ARGS.auth
        self.log(f"AUTH {'ok' if ok else 'bad'} {user}")
        if ok:
            self.user = user
            self.reply("235 2.7.0 Authentication successful")
        else:
            self.reply("535 5.7.8 Authentication credentials invalid")

    def auth(self, args):
        parts = args.split()
        mech = parts[0].upper() if parts else ""
        try:
            if mech == "PLAIN":
                if len(parts) > 1:
                    data = parts[1]
                else:
                    self.reply("334 ")
                    data = self.readline()
                _, user, password = base64.b64decode(data).decode().split("\0")
            elif mech == "LOGIN":
                self.reply("334 VXNlcm5hbWU6")
                user = base64.b64decode(self.readline()).decode()
                self.reply("334 UGFzc3dvcmQ6")
                password = base64.b64decode(self.readline()).decode()
            else:
                self.reply("504 5.5.4 Unrecognized authentication type")
                return
        except (ValueError, UnicodeDecodeError):
            self.reply("501 5.5.2 Cannot decode the response")
            return
        self.check_auth(user, password)

    def handle(self):
        self.tls = False
        self.user = None
        mail_from, rcpts = None, []
        self.reply("220 sink.test ESMTP ready")
        try:
            while True:
                line = self.readline()
                verb, _, args = line.partition(" ")
                verb = verb.upper()
                self.log(verb if verb != "AUTH" else "AUTH " + args.split()[0])
                if verb in ("EHLO", "HELO"):
                    # One write, as real servers do.
                    self.reply("\r\n".join(self.ehlo_lines()))
                elif verb == "STARTTLS" and ARGS.starttls and not self.tls:
                    self.reply("220 2.0.0 Ready to start TLS")
                    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                    ctx.load_cert_chain(ARGS.starttls[0], ARGS.starttls[1])
                    sock = ctx.wrap_socket(self.connection, server_side=True)
                    self.connection = sock
                    self.rfile = sock.makefile("rb")
                    self.wfile = sock.makefile("wb")
                    self.tls = True
                    mail_from, rcpts = None, []
                elif verb == "AUTH":
                    self.auth(args)
                elif verb == "MAIL":
                    if ARGS.auth and not self.user:
                        self.reply("530 5.7.0 Authentication required")
                        continue
                    mail_from, rcpts = args[5:].strip(), []
                    self.reply("250 2.1.0 Ok")
                elif verb == "RCPT":
                    addr = args[3:].strip().strip("<>")
                    local = addr.split("@")[0].lower()
                    if mail_from is None:
                        self.reply("503 5.5.1 MAIL first")
                    elif local.startswith("slow"):
                        time.sleep(8)
                        self.reply("250 2.1.5 Ok, eventually")
                    elif local.startswith("temp"):
                        self.reply("451 4.3.0 Mailbox busy, try again later")
                    elif local.startswith("reject"):
                        self.reply("550 5.1.1 <%s>: no such user here" % addr)
                    else:
                        rcpts.append(addr)
                        self.reply("250 2.1.5 Ok")
                elif verb == "DATA":
                    if not rcpts:
                        self.reply("554 5.5.1 No valid recipients")
                        continue
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    self.data(mail_from, rcpts)
                    mail_from, rcpts = None, []
                elif verb == "RSET":
                    mail_from, rcpts = None, []
                    self.reply("250 2.0.0 Ok")
                elif verb == "NOOP":
                    self.reply("250 2.0.0 Ok")
                elif verb == "QUIT":
                    self.reply("221 2.0.0 Bye")
                    return
                else:
                    self.reply("502 5.5.2 Command not recognized")
        except (EOFError, ConnectionError, ssl.SSLError):
            return

    def data(self, mail_from, rcpts):
        body = []
        while True:
            raw = self.rfile.readline(1 << 20)
            if not raw:
                raise EOFError
            if raw in (b".\r\n", b".\n"):
                break
            if raw.startswith(b".."):
                raw = raw[1:]  # dot-stuffing undone
            body.append(raw)
        with LOCK:
            n = len([f for f in os.listdir(ARGS.dir) if f.endswith(".eml")])
            name = os.path.join(ARGS.dir, "%04d.eml" % (n + 1))
            with open(name + ".tmp", "wb") as f:
                f.write(("X-Sink-Mail-From: %s\r\nX-Sink-Rcpt-To: %s\r\n"
                         "X-Sink-TLS: %d\r\nX-Sink-Auth: %s\r\n" %
                         (mail_from, ", ".join(rcpts), self.tls,
                          self.user or "")).encode())
                f.write(b"".join(body))
            os.rename(name + ".tmp", name)
        self.log("DATA accepted")
        self.reply("250 2.0.0 Ok: queued as %04d" % (n + 1))


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--auth")
    p.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--pid-file")
    ARGS = p.parse_args()
    os.makedirs(ARGS.dir, exist_ok=True)
    server = Server(("127.0.0.1", ARGS.port), Session)
    if ARGS.pid_file:
        with open(ARGS.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())
    sys.stdout.write("listening on %d\n" % server.server_address[1])
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
