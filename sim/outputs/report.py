"""The one report writer: a self-contained HTML page from generic sections.

A report is a title, a line under it and a list of `Section`s, each holding any of
paragraphs, key-value facts, preformatted text, tables (pandas) and PNG images (inlined as
base64). The page carries its own CSS and links to nothing outside itself, so it can be
mailed or opened offline. Callers (the compare report, calibration) build sections and call
`write_report`; none writes HTML of its own.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:24px auto;
max-width:1500px;color:#222;line-height:1.4;padding:0 16px}
h1{font-size:1.6em;margin-bottom:.1em}.sub{color:#555;margin-top:0}
h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:12px}
table{border-collapse:collapse;font-size:12.5px;margin:.5em 0 1em}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:right;vertical-align:top}
td{white-space:nowrap}th{background:#f0f0f0}
td.l,th.l{text-align:left}tr:nth-child(even) td{background:#fafafa}
figure{margin:0 0 1.4em}figure img{max-width:100%;border:1px solid #eee}
figcaption{color:#444;font-size:.92em}dl{display:grid;grid-template-columns:max-content auto;
gap:2px 16px}dt{font-weight:600}dd{margin:0}.note{color:#555;font-size:.92em}
"""


@dataclass
class Section:
    """One part of a report: a heading and any of paragraphs, facts (key: value),
    preformatted text, tables (``(caption, DataFrame)``) and images (``(caption, path)``)."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    pre: str | None = None
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    images: list[tuple[str, Path]] = field(default_factory=list)


def _esc(x) -> str:
    return html.escape(str(x))


def cell(v) -> str:
    """A table cell as text: numbers rounded for reading, missing values as ``-``."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "-"
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        if (v.is_integer() and abs(v) >= 1) or abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.3g}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def table_html(df: pd.DataFrame, max_rows: int = 300) -> str:
    """A table: numbers right-aligned and rounded, text left-aligned; the index shown when
    it is named."""
    shown = df.head(max_rows)
    if shown.index.name is not None:
        shown = shown.reset_index()
    text = {c for c in shown.columns if not pd.api.types.is_numeric_dtype(shown[c])}
    head = "".join(f'<th class="{"l" if c in text else ""}">{_esc(c)}</th>' for c in shown.columns)
    rows = []
    for row in shown.itertuples(index=False):
        cells = "".join(f'<td class="{"l" if c in text else ""}">{_esc(cell(v))}</td>'
                        for c, v in zip(shown.columns, row, strict=True))
        rows.append(f"<tr>{cells}</tr>")
    more = (f'<p class="note">first {max_rows} of {len(df)} rows</p>'
            if len(df) > max_rows else "")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>{more}"


def image_html(caption: str, path: Path) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (f'<figure><img alt="{_esc(caption)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{_esc(caption)}</figcaption></figure>")


def section_html(s: Section, anchor: str) -> str:
    out = [f'<h2 id="{anchor}">{_esc(s.title)}</h2>']
    out += [f"<p>{_esc(p)}</p>" for p in s.paragraphs]
    if s.facts:
        out.append("<dl>" + "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>"
                                    for k, v in s.facts.items()) + "</dl>")
    if s.pre:
        out.append(f"<pre>{_esc(s.pre)}</pre>")
    for caption, df in s.tables:
        if caption:
            out.append(f"<p><b>{_esc(caption)}</b></p>")
        out.append(table_html(df))
    for caption, path in s.images:
        if Path(path).is_file():
            out.append(image_html(caption, path))
    return "\n".join(out)


def render(title: str, subtitle: str, sections: list[Section]) -> str:
    """The page's HTML (self-contained)."""
    anchors = [f"s{i}" for i in range(len(sections))]
    nav = " | ".join(f'<a href="#{a}">{_esc(s.title)}</a>'
                     for a, s in zip(anchors, sections, strict=True))
    body = "\n".join(section_html(s, a) for s, a in zip(sections, anchors, strict=True))
    made = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{_esc(title)}</title><style>{CSS}</style></head><body>"
            f'<h1>{_esc(title)}</h1><p class="sub">{_esc(subtitle)}</p><nav>{nav}</nav>'
            f'{body}<p class="note">written {made} by magnet-sim; self-contained (no link '
            "outside this file)</p></body></html>\n")


def write_report(path: str | Path, title: str, subtitle: str,
                 sections: list[Section]) -> Path:
    """Write the page to ``path`` (a folder: ``report.html`` in it), through a temporary
    file so an interrupted write leaves the old report whole; return its path."""
    path = Path(path)
    if path.is_dir() or not path.suffix:
        path = path / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(render(title, subtitle, sections), encoding="utf-8")
    tmp.replace(path)
    return path
