"""``magnet-sim dashboard [--port N] [--host H] [--open FOLDER]``: serve the page.

Why Solara: it is Mesa's own visualisation stack (SolaraViz), pure Python (the page is
components over the same process that runs the model, so a lever calls `sim.run` directly
and the figures are drawn from the tables in memory), and maintained. Its browser code is
served from this machine: the Vue 2 widget bundle and fonts come from the ``solara-assets``
package (pinned with ``ipyvue`` 1.x and ``ipyvuetify`` 1.x, whose bundle it holds), and any
request Solara would forward to a CDN is refused and reported here (`offline`), so a page
never loads anything from the internet. Solara's telemetry is switched off before it is
imported. The server listens on 127.0.0.1 unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

from sim.domain.errors import ConfigError, error

APP = "sim.outputs.dashboard.app"
ENV = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_MODE": "production",
       "SOLARA_THEME_SHOW_BANNER": "False", "SOLARA_APP": APP}
BLOCKED = "dashboard: refused to fetch {url} from the internet (every asset is served " \
    "locally; reinstall solara-assets if one is missing)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2 (through the command line's main)
        raise ConfigError(f"magnet-sim dashboard: {message}")


def offline() -> None:
    """Refuse every asset Solara would fetch from a CDN (it is served locally instead)."""
    import solara.server.cdn_helper as cdn

    def refuse(url, *args, **kwargs):
        print(BLOCKED.format(url=url), file=sys.stderr, flush=True)
        raise RuntimeError(BLOCKED.format(url=url))

    cdn.fetch_from_cdn = refuse


def _free(host: str, port: int) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            raise error("magnet-sim dashboard --port", f"cannot listen on {host}:{port} "
                        f"({e.strerror}); choose another port", port) from None


def main(argv: list[str] | None = None) -> int:
    ap = _Parser(prog="magnet-sim dashboard", allow_abbrev=False,
                 description="Serve the dashboard: levers, runs beside their baseline, "
                 "saved runs and sweeps, in the browser")
    ap.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1: this machine only)")
    ap.add_argument("--open", type=Path, metavar="FOLDER",
                    help="a run folder or a sweep root to open at start")
    a = ap.parse_args(argv)
    if not 0 < a.port < 65536:
        raise error("magnet-sim dashboard --port", "must be between 1 and 65535", a.port)
    if a.open is not None and not a.open.is_dir():
        raise error("magnet-sim dashboard --open", "no such folder", str(a.open))
    _free(a.host, a.port)
    os.environ.update(ENV)
    os.environ["SERVER_NAME"], os.environ["SERVER_PORT"] = a.host, str(a.port)
    if a.open is not None:
        os.environ["SIM_DASHBOARD_OPEN"] = str(a.open.resolve())
    import uvicorn  # the web server and Solara: only when serving

    offline()
    print(f"dashboard: http://{a.host}:{a.port}/ (Ctrl-C stops it)", flush=True)
    uvicorn.run("solara.server.starlette:app", host=a.host, port=a.port,
                log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
