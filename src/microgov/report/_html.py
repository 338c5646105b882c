"""One self-contained HTML file: CSS and SVG inline, no script, nothing from outside."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from pathlib import Path

from microgov._version import __version__
from microgov.report._errors import ReportError
from microgov.report._model import Report
from microgov.report._text import Lang, check_lang, hours, percent, state_label, t, yuan

__all__ = ["CSP", "SECTIONS", "render_html", "write_html"]

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
"""The page's Content-Security-Policy: nothing may be loaded from anywhere.

The page has no script; its CSS and charts are inline.  Any request a browser would
make for it (a font, an image, a stylesheet) is refused and logged as a console error,
which the browser test checks never happens.

Example:
    >>> CSP.split(";")[0]
    "default-src 'none'"
"""

SECTIONS: tuple[str, ...] = (
    "hierarchy",
    "pipeline",
    "participation",
    "funds",
    "responses",
    "indicators",
    "audit",
)
"""The report's sections, in order; each is an element ``<section id="sec-NAME">``.

Example:
    >>> SECTIONS[0], SECTIONS[-1]
    ('hierarchy', 'audit')
"""

_CSS = """
:root { --ink: #1d2430; --muted: #5b6472; --line: #d9dde3; --accent: #2f6db5; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #f6f7f9; line-height: 1.55;
  font-family: system-ui, -apple-system, "Noto Sans CJK SC", "Source Han Sans SC",
  "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif; }
svg text { font-family: system-ui, -apple-system, "Noto Sans CJK SC", "Source Han Sans SC",
  "WenQuanYi Micro Hei", "PingFang SC", "Microsoft YaHei", sans-serif !important; }
header { background: #1f3b5c; color: #fff; padding: 24px 32px 18px; }
header h1 { margin: 0 0 6px; font-size: 26px; }
header p { margin: 2px 0; color: #dbe4ef; }
.banner { background: #fff4d6; color: #6b4b00; padding: 8px 32px; font-size: 14px; }
main { max-width: 1040px; margin: 0 auto; padding: 8px 24px 40px; }
nav ol { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; list-style: none;
  margin: 14px 0; font-size: 14px; }
nav a { color: var(--accent); text-decoration: none; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 4px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 16px; min-width: 150px; }
.card b { display: block; font-size: 22px; }
.card span { color: var(--muted); font-size: 13px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 10px;
  padding: 16px 22px; margin: 18px 0; }
section h2 { margin: 0 0 8px; font-size: 20px; }
figure { margin: 10px 0 6px; }
figure svg.chart { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: 13.5px; margin-top: 4px; }
figcaption .src { display: block; font-size: 12.5px; }
details { margin: 6px 0 14px; }
summary { cursor: pointer; color: var(--accent); font-size: 14px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13.5px; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f0f2f5; font-weight: 600; }
.ok { color: #17703a; font-weight: 700; } .bad { color: #b3261e; font-weight: 700; }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px;
  word-break: break-all; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; padding: 12px; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = ["<table><thead><tr>"]
    out += [f"<th>{_e(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _figure(
    chart: Callable[[], str] | None,
    caption: str,
    source: str,
    lang: Lang,
    head: Sequence[str],
    rows: Sequence[Sequence[object]],
) -> str:
    """A chart with its caption and, below, its data as a table (the fallback)."""
    parts = ["<figure>"]
    if chart is not None:
        parts.append(chart())
    parts.append(
        f"<figcaption>{_e(caption)}<span class='src'>{_e(t('source', lang))}: "
        f"{_e(source)}</span></figcaption></figure>"
    )
    table = _table(head, rows)
    if chart is None:
        parts.append(table)
    else:
        parts.append(f"<details><summary>{_e(t('table', lang))}</summary>{table}</details>")
    return "".join(parts)


def render_html(report: Report, lang: str = "zh", *, charts: bool = True) -> str:
    """The report as one self-contained HTML page.

    Every chart is an inline ``<svg>`` with its text as text, a caption saying what it
    shows and its data source, and the same data as a table below it (shown open when
    ``charts`` is False).  The page has a Content-Security-Policy (:data:`CSP`) that
    forbids loading anything, no script and no web font: it reads the same offline.

    Args:
        report: The report's data.
        lang: ``'zh'`` or ``'en'``.
        charts: Draw the charts (needs the ``report`` extra, matplotlib); False gives
            the tables only.

    Returns:
        The HTML text.

    Raises:
        ReportError: ``report.bad_language``; ``report.extra_missing`` if charts are
            asked for without matplotlib.

    Example:
        >>> from microgov.report import demo_report
        >>> page = render_html(demo_report(node="area-01"), "en", charts=False)
        >>> page.startswith("<!DOCTYPE html>"), "default-src 'none'" in page, "://" in page
        (True, True, False)
    """
    language = check_lang(lang)
    if charts:
        try:
            import matplotlib  # noqa: F401
        except ImportError as err:
            raise ReportError.missing_extra() from err
        from microgov.report import _charts
    r = report
    source = r.source_zh if language == "zh" else r.source_en

    def chart(draw: Callable[..., str], data: object, name: str) -> Callable[[], str] | None:
        if not charts:
            return None
        return lambda: draw(data, language, chart_id=f"chart-{name}")

    body: list[str] = []
    toc: list[str] = []

    def section(name: str, content: str) -> None:
        title = t(f"sec.{name}", language)
        toc.append(f"<li><a href='#sec-{name}'>{_e(title)}</a></li>")
        body.append(f"<section id='sec-{name}'><h2>{_e(title)}</h2>{content}</section>")

    # Hierarchy
    h = r.hierarchy
    section(
        "hierarchy",
        _figure(
            chart(_charts.hierarchy_chart, h, "hierarchy") if charts else None,
            t("cap.hierarchy", language),
            source,
            language,
            [t("col.area", language), t("col.households", language), t("col.grids", language)],
            [(a.name, f"{a.households:,}", len(a.grids)) for a in h.areas],
        ),
    )
    # Pipeline
    p = r.pipeline
    section(
        "pipeline",
        _figure(
            chart(_charts.pipeline_chart, p, "pipeline") if charts else None,
            t("cap.pipeline", language),
            source,
            language,
            [t("col.state", language), t("col.reached", language)],
            [(state_label(s.state, language), s.reached) for s in p.reached],
        )
        + _figure(
            chart(_charts.stages_chart, p, "stages") if charts else None,
            t("cap.stages", language),
            source,
            language,
            [t("col.stage", language), t("col.median_days", language), t("col.projects", language)],
            [
                (
                    f"{state_label(s.start, language)} → {state_label(s.end, language)}",
                    "–" if s.median_days is None else f"{float(s.median_days):.1f}",
                    s.count,
                )
                for s in p.stages
            ],
        ),
    )
    # Participation
    part = r.participation
    section(
        "participation",
        f"<p>{_e(t('summary.participation', language, share=percent(part.share, 1)))}</p>"
        + _figure(
            chart(_charts.participation_chart, part, "participation") if charts else None,
            t("cap.participation", language),
            source,
            language,
            [
                t("col.area", language),
                t("col.votes", language),
                t("col.hands", language),
                t("col.entitled", language),
                t("col.share", language),
            ],
            [
                (x.name, x.votes, f"{x.hands:,}", f"{x.entitled:,}", percent(x.share, 1))
                for x in part.rows
            ],
        ),
    )
    # Funds
    f = r.funds
    if f is not None:
        content = (
            f"<p>{_e(t('summary.pool', language, start=yuan(f.pool_start), end=yuan(f.pool_end)))}"
            "</p>"
        )
        content += _figure(
            chart(_charts.funds_chart, f, "funds") if charts else None,
            t("cap.funds", language),
            source,
            language,
            [t("col.area", language)]
            + [t(f"col.{k}", language) for k in ("budget", "granted", "spent", "returned")],
            [
                (x.name, yuan(x.budget), yuan(x.granted), yuan(x.spent), yuan(x.returned))
                for x in f.rows
            ],
        )
        if f.rules:
            content += _figure(
                chart(_charts.rules_chart, f, "rules") if charts else None,
                t("cap.rules", language),
                source,
                language,
                [t("col.area", language), *f.rules],
                [(x.name, *(yuan(x.by_rule.get(rule, 0)) for rule in f.rules)) for x in f.rows],
            )
        section("funds", content)
    # Responses
    s = r.responses
    if s is not None:
        from microgov.report._charts import band_labels

        bands = band_labels(s, language)
        section(
            "responses",
            _figure(
                chart(_charts.responses_chart, s, "responses") if charts else None,
                t("cap.responses", language),
                source,
                language,
                [
                    t("col.area", language),
                    t("col.topics", language),
                    t("col.mean", language),
                    t("col.median", language),
                    t("col.p90", language),
                    t("col.within", language, h=s.within_hours),
                    t("col.overdue", language),
                    t("col.rank", language),
                    *bands,
                ],
                [
                    (
                        x.name,
                        x.count,
                        hours(x.mean_hours),
                        hours(x.median_hours),
                        hours(x.p90_hours),
                        percent(x.within_share),
                        x.overdue,
                        "–" if x.rank is None else x.rank,
                        *x.buckets,
                    )
                    for x in s.rows
                ],
            ),
        )
    # Indicators
    ind = r.indicators
    if ind is not None:

        def value(v: object) -> str:
            if v is None:
                return "–"
            number = float(v)  # type: ignore[arg-type]
            return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"

        section(
            "indicators",
            _figure(
                chart(_charts.indicators_chart, ind, "indicators") if charts else None,
                t("cap.indicators", language),
                source,
                language,
                [
                    t("col.indicator", language),
                    t("col.current", language) + f" {ind.year}",
                    t("col.previous", language) + f" {ind.year - 1}",
                    t("col.change", language),
                ],
                [
                    (
                        x.name_zh if language == "zh" else x.name_en,
                        value(x.current),
                        value(x.previous),
                        "–" if x.change is None else f"{float(x.change) * 100:+.1f}%",
                    )
                    for x in ind.rows
                ],
            ),
        )
    # Audit
    a = r.audit
    status = (
        f"<span class='ok'>✔ {_e(t('audit.ok', language))}</span>"
        if a.ok
        else f"<span class='bad'>✘ {_e(t('audit.broken', language))}</span>"
    )
    rows = [(t("audit.events", language), f"{a.events:,}"), (t("audit.head", language), a.head)]
    rows += [(t("audit.findings", language), finding) for finding in a.findings]
    section(
        "audit",
        f"<p>{status}</p><p>{_e(t('audit.head', language))}: <code>{_e(a.head)}</code></p>"
        f"<p>{_e(t('audit.explain', language))}</p>"
        + _table(["", ""], rows)
        + f"<p class='src'>{_e(t('source', language))}: {_e(source)}</p>",
    )
    cards = [
        (f"{len(h.areas):,}", t("summary.areas", language)),
        (f"{h.grids:,}", t("summary.grids", language)),
        (f"{h.households:,}", t("summary.households", language)),
        (str(p.count("proposed")), state_label("proposed", language)),
        (str(p.count("closed")), state_label("closed", language)),
        (percent(part.share, 1), t("col.share", language)),
    ]
    banner = f"<div class='banner'>{_e(t('synthetic', language))}</div>" if r.synthetic else ""
    title = f"{r.node_name} · {t('title', language)}"
    return (
        "<!DOCTYPE html>\n"
        f"<html lang='{'zh-CN' if language == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{_e(title)}</h1>"
        f"<p>{_e(t('node', language))}: {_e(r.node_name)} ({_e(r.node)}) · "
        f"{_e(t('period', language))}: {_e(r.period)}</p>"
        f"<p>{_e(t('source', language))}: {_e(source)}</p></header>{banner}<main>"
        "<div class='cards'>"
        + "".join(f"<div class='card'><b>{_e(v)}</b><span>{_e(k)}</span></div>" for v, k in cards)
        + f"</div><nav aria-label='{_e(t('contents', language))}'><ol>{''.join(toc)}</ol></nav>"
        + "".join(body)
        + f"</main><footer>{_e(t('generated', language, version=__version__))}</footer>"
        "</body></html>\n"
    )


def write_html(report: Report, path: str | Path, lang: str = "zh", *, charts: bool = True) -> Path:
    """Render the report and write it to ``path`` (UTF-8).

    Args:
        report: The report's data.
        path: The file to write.
        lang: ``'zh'`` or ``'en'``.
        charts: As :func:`render_html`.

    Returns:
        The path written.

    Raises:
        ReportError: As :func:`render_html`; ``report.unwritable`` if the file cannot be
            written.

    Example:
        >>> import tempfile, pathlib
        >>> from microgov.report import demo_report
        >>> out = pathlib.Path(tempfile.mkdtemp()) / "r.html"
        >>> write_html(demo_report(node="area-01"), out, "en", charts=False).stat().st_size > 0
        True
    """
    text = render_html(report, lang, charts=charts)
    target = Path(path)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as err:
        raise ReportError(
            f"Cannot write the report to {str(target)!r}: {err.strerror}.",
            f"无法写入报告文件 {str(target)!r}：{err.strerror}。",
            code="report.unwritable",
            path=str(target),
        ) from err
    return target
