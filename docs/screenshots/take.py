"""Takes the README screenshots with Debian's Chromium: serves the demo forum, photographs pages."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
PAGES = [
    ("programme.png", "/programme/", 1280, 1600),
    ("programme-ko.png", "/ko/programme/", 1280, 1200),
    ("home.png", "/", 1280, 1000),
    ("projects.png", "/projects/", 1280, 1200),
    ("programme-mobile.png", "/programme/", 390, 1400),
]
# Back-office pages, photographed signed in as the demo organiser.
ADMIN_PAGES = [
    ("dashboard.png", "/admin/backoffice/dashboard/", 1280, 1300),
    ("export.png", "/admin/backoffice/export/", 1280, 1300),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'screens.sqlite3'}",
    }
    python = sys.executable
    for args in (["migrate", "-v0"], ["load_demo_forum", "--with-staff"]):
        subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=ROOT, env=env
    )
    try:
        time.sleep(3)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for name, path, width, height in PAGES:
                context = browser.new_context(
                    viewport={"width": width, "height": height}, timezone_id="Asia/Jakarta"
                )
                page = context.new_page()
                # The first visit lets the page learn the browser's time zone, then reloads.
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_load_state("networkidle")
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=OUT / name, full_page=False)
                context.close()
                print(f"wrote {OUT / name}")
            context = browser.new_context(viewport={"width": 1280, "height": 1300})
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{port}/admin/login/")
            page.fill("#id_username", "demo-staff")
            page.fill("#id_password", "connectivity-2022")
            page.click("input[type=submit]")
            page.wait_for_load_state("networkidle")
            for name, path, width, height in ADMIN_PAGES:
                page.set_viewport_size({"width": width, "height": height})
                page.goto(f"http://127.0.0.1:{port}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=OUT / name, full_page=False)
                print(f"wrote {OUT / name}")
            context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
