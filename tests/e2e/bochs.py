# SPDX-License-Identifier: MIT
"""Boot an ISO under Bochs (images/bochs.sh) and read its serial output until a condition holds."""

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
