"""The dashboard in a browser: ``magnet-sim dashboard`` served on 127.0.0.1 and driven by
Playwright in headless Chromium (Debian's ``chromium``; PyPI's ``playwright`` pointed at it,
so ``playwright install`` is not needed). The page loads and answers; moving a lever and
pressing Run updates the KPIs and the plot beside the baseline; the run's tables download;
a saved run opens; and no request leaves 127.0.0.1 (every other host is routed to fail, and
none may even be attempted).

Without Chromium or Playwright these tests FAIL, saying how to install them (``bash
scripts/setup.sh`` does, as root on Debian). ``SIM_CHROMIUM`` names another Chromium;
``SIM_SCREENSHOTS=docs/img`` saves the README's screenshots of the page as it is tested.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest

import sim

from .helpers import ROOT

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL = {"127.0.0.1"}
SHOTS = os.environ.get("SIM_SCREENSHOTS")


def chromium() -> str:
    path = os.environ.get("SIM_CHROMIUM") or shutil.which("chromium") or \
        shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is missing: the dashboard's browser tests drive Debian's "
                    "chromium. Install it (apt-get install chromium; bash scripts/setup.sh "
                    "does so as root) or set SIM_CHROMIUM=/path/to/chromium", pytrace=False)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    chromium()  # first: no server for nothing
    port, log = free_port(), tmp_path_factory.mktemp("dash") / "server.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "sim", "dashboard", "--port",
                                 str(port)], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                env=env)
    t0 = time.time()
    while True:
        if proc.poll() is not None:
            pytest.fail(f"magnet-sim dashboard exited:\n{log.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.time() - t0 > 120:
                proc.kill()
                pytest.fail(f"magnet-sim dashboard did not listen:\n{log.read_text()}")
            time.sleep(0.3)
    yield f"http://127.0.0.1:{port}/", log, port
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


class Seen:
    """Every request the page made or tried, and every failed response."""

    def __init__(self):
        self.hosts, self.outside, self.bad = set(), [], []

    def route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:")) or host in LOCAL:
            self.hosts.add(host)
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()


@pytest.fixture(scope="module")
def page(server):
    path = chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is missing: bash scripts/setup.sh installs it (the dev "
                    "extra, playwright==1.65.2)", pytrace=False)
    url, _, _ = server
    seen = Seen()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True)
        ctx.route("**/*", seen.route)
        pg = ctx.new_page()
        pg.on("response", lambda r: seen.bad.append((r.status, r.url)) if r.status >= 400
              else None)
        pg.on("websocket", lambda ws: seen.hosts.add(urlparse(ws.url).hostname))
        pg.seen = seen
        pg.goto(url, timeout=120_000)
        yield pg
        browser.close()


def shot(pg, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(Path(SHOTS) / f"dashboard_{name}.png"), full_page=True)


def kpi(pg, test_id: str, row: str) -> list[str]:
    """The cells of a KPI table's row (after its label)."""
    cells = pg.locator(f"[data-testid={test_id}] tr", has_text=row).first.locator("td")
    return cells.all_inner_texts()[1:]


def number(text: str) -> float:
    return float(text.replace(",", "").replace("%", ""))


def test_the_page_loads_and_answers(page):
    from playwright.sync_api import expect
    expect(page).to_have_title("magnet-sim dashboard")
    expect(page.locator(".sim-answered")).to_contain_text("embargo_us, seed 1, 365 days",
                                                          timeout=120_000)
    expect(page.locator(".sim-run button, button.sim-run").first).to_be_enabled()
    expect(page.locator(".sim-command")).to_have_text("magnet-sim scenario=embargo_us "
                                                      "days=365 seed=1")
    this, base, _ = kpi(page, "kpis", "lost vehicles")
    assert number(this) == number(base)  # no lever moved: the run is its baseline
    expect(page.locator(".sim-fig-inventory img, img.sim-fig-inventory").first).to_be_visible()
    expect(page.locator("[data-testid=plants]")).to_contain_text("Detroit-A")


def test_moving_a_lever_and_running_updates_the_kpis_and_the_plot(page):
    from playwright.sync_api import expect
    img = page.locator(".sim-fig-inventory img, img.sim-fig-inventory").first
    before_src = img.get_attribute("src")
    before = kpi(page, "kpis", "lost vehicles")
    slider = page.locator(".v-input", has_text="lasts").locator("[role=slider]")
    slider.focus()
    for _ in range(24):  # 180 days -> 300, in steps of 5 (180 days: the plants' and
        slider.press("ArrowRight")  # tier-1s' structural stocks carry them through)
    expect(page.locator(".v-input", has_text="lasts 300 days")).to_be_visible()
    t0 = time.perf_counter()
    page.locator(".sim-run").first.click()
    expect(page.locator(".sim-command")).to_contain_text("events.0.days=300", timeout=60_000)
    this_run = page.locator("[data-testid=kpis] tr", has_text="lost vehicles").first \
        .locator("td").nth(1)
    expect(this_run).not_to_have_text(before[0], timeout=60_000)
    expect(img).not_to_have_attribute("src", before_src or "", timeout=60_000)
    expect(page.locator(".sim-status")).to_have_count(0, timeout=60_000)
    took = time.perf_counter() - t0
    this, base, diff = kpi(page, "kpis", "lost vehicles")
    assert number(base) == number(before[1])  # the same baseline (same seed)
    assert number(this) > number(base) and diff.startswith("+")  # a longer embargo
    expect(page.locator(".sim-answered")).to_contain_text("baseline from the cache")
    print(f"\nlever change answered in {took:.1f} s in the browser "
          f"({page.locator('.sim-answered').inner_text()})")
    # (about 3 s on an idle 2-core machine: printed, not asserted; speed is for benchmarks)
    shot(page, "explore")


def test_the_runs_tables_download(page):
    with page.expect_download() as d:
        page.get_by_text("Download this run's tables").click()
    z = zipfile.ZipFile(io.BytesIO(Path(d.value.path()).read_bytes()))
    assert {"daily.parquet", "plants.csv", "kpis.json", "overrides.txt"} <= set(z.namelist())
    assert "events.0.days=300" in z.read("overrides.txt").decode()


def test_a_saved_run_opens(page, tmp_path):
    from playwright.sync_api import expect
    out = sim.run(sim.scenario("controls_2025", days=200, seed=2))
    folder = sim.save(out, tmp_path / "saved", plots=False)
    lost = json.loads((folder / "kpis.json").read_text())["lost_vehicles"]
    page.get_by_role("tab", name="Open a saved run or sweep").click()
    box = page.get_by_label("a run folder or a sweep root (read only)")
    box.fill(str(folder))
    box.press("Enter")
    page.locator(".sim-open").first.click()
    expect(page.locator(".sim-opened")).to_have_text(f"run {folder}", timeout=30_000)
    expect(page.locator(".sim-run-title")).to_contain_text("controls_2025, seed 2")
    (value,) = kpi(page, "saved-kpis", "lost vehicles")
    assert number(value) == pytest.approx(lost, abs=1)
    expect(page.locator("[data-testid=saved-plants]")).to_contain_text("Ulsan")
    expect(page.locator("img.sim-fig-inventory, .sim-fig-inventory img").last).to_be_visible()
    shot(page, "saved_run")
    box.fill(str(tmp_path / "nope"))
    page.locator(".sim-open").first.click()
    expect(page.locator(".sim-open-error")).to_contain_text("no such folder")


def test_no_request_left_127_0_0_1(page, server):
    _, log, port = server
    seen = page.seen
    assert seen.outside == [], seen.outside  # none even attempted
    assert seen.hosts == LOCAL, seen.hosts
    assert seen.bad == [], seen.bad  # every asset served (none missing, none refused)
    assert "refused to fetch" not in log.read_text()  # nor fetched by the server
    others = {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
              if not a[4][0].startswith("127.")}
    for addr in others:  # it listens on 127.0.0.1 only
        with pytest.raises(OSError):
            socket.create_connection((addr, port), timeout=2).close()
