# SPDX-License-Identifier: MIT
"""Boot an ISO under Bochs (images/bochs.sh): read its serial output until a condition holds
(boot_bochs), or talk to it both ways through a TCP connection (BochsConsole)."""

import re
import socket
import subprocess
import time

from conftest import LOG_DIR, TOP

BOCHS_SH = TOP / "images" / "bochs.sh"


def boot_bochs(iso, log_name, timeout, done):
    """Serial output of Bochs booting iso, once done(text) is true or timeout seconds have passed.
    Bochs is stopped either way."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    serial = LOG_DIR / log_name
    serial.unlink(missing_ok=True)  # never read a previous run's output
    proc = subprocess.Popen([str(BOCHS_SH), str(iso), str(serial), str(timeout)], cwd=TOP,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + timeout
    text = ""
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            text = serial.read_text(errors="replace") if serial.exists() else ""
            if done(text):
                break
            time.sleep(2)
    finally:
        subprocess.run(["pkill", "-g", str(proc.pid)], check=False)
        proc.wait()
    return text


class BochsConsole:
    """Bochs booting iso with COM1 on a TCP connection it opens to us: the output is logged to
    LOG_DIR/log_name as it arrives, expect() waits for a pattern, send() types a line."""

    CONNECT_TIMEOUT = 60
    TYPE_DELAY = 0.05  # seconds per typed character: Bochs's UART takes input at its own pace

    def __init__(self, iso, log_name, timeout, megs=512, cpus=1):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / log_name
        self.log = open(self.log_path, "w", encoding="utf-8")
        self.text = ""  # everything received, CR/LF folded to LF
        self.pos = 0  # where the next expect() starts looking
        self.start = time.monotonic()
        server = socket.create_server(("127.0.0.1", 0))
        port = server.getsockname()[1]
        self.proc = subprocess.Popen([str(BOCHS_SH), str(iso), f"tcp:127.0.0.1:{port}", str(timeout), str(megs),
                                      str(cpus)],
                                     cwd=TOP, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        server.settimeout(self.CONNECT_TIMEOUT)
        try:
            self.conn, _ = server.accept()
        except OSError:
            self.close()
            raise
        finally:
            server.close()

    def _receive(self, seconds):
        """Append what arrives within seconds; False once Bochs has closed the connection."""
        self.conn.settimeout(max(seconds, 0.01))
        try:
            data = self.conn.recv(65536)
        except socket.timeout:
            return True
        if not data:
            return False
        chunk = data.decode("utf-8", errors="replace")
        self.log.write(chunk)
        self.log.flush()
        self.text = (self.text + chunk).replace("\r\n", "\n").replace("\r", "")
        return True

    def expect(self, pattern, timeout):
        """The match of pattern in output not matched before, or None after timeout seconds or
        when Bochs has ended."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = regex.search(self.text, self.pos)
            if m:
                self.pos = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0 or not self._receive(min(left, 1.0)):
                return None

    def elapsed(self):
        return time.monotonic() - self.start

    def send(self, line):
        for ch in line + "\r":
            self.conn.sendall(ch.encode())
            time.sleep(self.TYPE_DELAY)

    def close(self):
        subprocess.run(["pkill", "-g", str(self.proc.pid)], check=False)
        self.proc.wait()
        if hasattr(self, "conn"):
            self.conn.close()
        self.log.close()
