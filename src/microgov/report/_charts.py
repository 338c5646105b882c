"""Charts as inline SVG with matplotlib (the ``report`` extra); text stays text.

matplotlib is imported here only, when a chart is drawn.  The SVG keeps its text as
``<text>`` elements (``svg.fonttype = 'none'``), so the browser sets Chinese in its own
fonts and a reader can select and search it.  matplotlib measures text with its
bundled DejaVu Sans, which has no Chinese glyphs: margins are therefore computed here
from the labels' widths in em (a Chinese character is one em), never from font
metrics, and right-aligned labels are anchored at their end.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from microgov.report._errors import ReportError
from microgov.report._model import (
    FundsSection,
    HierarchySection,
    IndicatorSection,
    ParticipationSection,
    PipelineSection,
    ResponseSection,
)
from microgov.report._text import Lang, state_label, t

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "funds_chart",
    "hierarchy_chart",
    "indicators_chart",
    "participation_chart",
    "pipeline_chart",
    "responses_chart",
    "rules_chart",
    "stages_chart",
    "treemap",
]

_FONT_PX = 11
_COLOURS = ("#2f6db5", "#e08a2c", "#4a9d5b", "#c0504d", "#7e63a8", "#8c8c8c")
_SEQUENTIAL = ("#1a7f4b", "#5fb56f", "#b5d98a", "#f3d36b", "#f39c4a", "#d9532c", "#9e1f1f")
_RC: dict[str, object] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": _FONT_PX * 0.75,  # points: 11 px
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": "medium",
    "axes.edgecolor": "#888888",
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "axes.labelcolor": "#333333",
}


def _em(text: str) -> float:
    """The width of ``text`` in em: wide (CJK) characters 1, others about 0.6."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.6 for ch in text)


def _inches(px: float) -> float:
    return px / 72.0  # matplotlib's SVG maps 1 pt to 1 px


def treemap(
    sizes: Sequence[float], x: float, y: float, width: float, height: float
) -> list[tuple[float, float, float, float]]:
    """Lay ``sizes`` out as rectangles filling a box, squarified (Bruls, Huizing, van Wijk 2000).

    Args:
        sizes: Positive sizes, largest first for the best aspect ratios.
        x: The box's left.
        y: The box's bottom.
        width: The box's width.
        height: The box's height.

    Returns:
        One ``(x, y, width, height)`` per size, in order; their areas are proportional
        to the sizes and they tile the box.

    Example:
        >>> rects = treemap([6, 3, 3], 0, 0, 4, 3)
        >>> [tuple(round(v, 6) for v in r) for r in rects]
        [(0, 0, 2.0, 3.0), (2.0, 0, 2.0, 1.5), (2.0, 1.5, 2.0, 1.5)]
    """
    total = sum(sizes)
    if not sizes or total <= 0:
        return []
    scale = width * height / total
    areas = [s * scale for s in sizes]
    out: list[tuple[float, float, float, float]] = []
    i = 0
    while i < len(areas):
        side = min(width, height)
        row = [areas[i]]
        j = i + 1

        while j < len(areas) and _worst([*row, areas[j]], side) <= _worst(row, side):
            row.append(areas[j])
            j += 1
        s = sum(row)
        if width >= height:  # a column on the left
            w = s / height
            yy = y
            for a in row:
                h = a / w
                out.append((x, yy, w, h))
                yy += h
            x += w
            width -= w
        else:  # a row at the bottom
            h = s / width
            xx = x
            for a in row:
                w = a / h
                out.append((xx, y, w, h))
                xx += w
            y += h
            height -= h
        i = j
    return out


def _worst(row: list[float], side: float) -> float:
    """The worst aspect ratio of a row of areas laid along ``side``."""
    s = sum(row)
    return max(max(side * side * a / (s * s), (s * s) / (side * side * a)) for a in row)


def _figure(width_px: float, height_px: float) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError as err:  # pragma: no cover - exercised without the extra
        raise ReportError.missing_extra() from err
    return Figure(figsize=(_inches(width_px), _inches(height_px)))


def _svg(draw: Callable[[], Figure], chart_id: str) -> str:
    """Draw a figure and return its ``<svg>`` element, without prolog or metadata."""
    try:
        import matplotlib
    except ImportError as err:
        raise ReportError.missing_extra() from err
    rc: dict[str, Any] = dict(_RC)
    rc["svg.hashsalt"] = chart_id
    with matplotlib.rc_context(rc), warnings.catch_warnings():  # type: ignore[arg-type]
        # DejaVu Sans has no Chinese glyphs; the browser draws them, not matplotlib.
        warnings.filterwarnings("ignore", message="Glyph .* missing from", category=UserWarning)
        figure = draw()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt" ', "", svg, count=1)
    return svg.replace("<svg ", f'<svg id="{chart_id}" class="chart" role="img" ', 1)


def _left(labels: Sequence[str]) -> float:
    return max((_em(s) for s in labels), default=4) * _FONT_PX + 16


def _barh(
    ax: Axes,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    xlabel: str,
    value_format: Callable[[float], str] | None = None,
) -> None:
    n = len(labels)
    k = len(series)
    height = 0.8 / k
    ys = list(range(n))
    for index, (name, values) in enumerate(series):
        offsets = [y - 0.4 + height * (index + 0.5) for y in ys]
        bars = ax.barh(
            offsets, values, height=height, label=name, color=_COLOURS[index % len(_COLOURS)]
        )
        if value_format is not None:
            ax.bar_label(
                bars,
                labels=[value_format(v) for v in values],
                padding=3,
                fontsize=_FONT_PX * 0.7,
            )
    ax.set_yticks(ys, labels)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    if k > 1:
        ax.legend(loc="lower right", frameon=False, ncols=k, bbox_to_anchor=(1.0, 1.0))


def _bar_figure(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    xlabel: str,
    chart_id: str,
    width: float = 760,
    row: float = 18,
    value_format: Callable[[float], str] | None = None,
    xlim: tuple[float, float] | None = None,
) -> str:
    left = _left(labels)
    legend = 26 if len(series) > 1 else 8
    height = max(len(labels), 1) * row * max(1, len(series) * 0.6) + 52 + legend

    def draw() -> Figure:
        fig = _figure(width, height)
        ax = fig.add_axes(
            (left / width, 40 / height, 1 - (left + 50) / width, 1 - (40 + legend) / height)
        )
        _barh(ax, labels, series, xlabel=xlabel, value_format=value_format)
        if xlim is not None:
            ax.set_xlim(*xlim)
        return fig

    return _svg(draw, chart_id)


def _short(name: str) -> str:
    for suffix in ("居民委员会", "居委会", "居民区"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def hierarchy_chart(section: HierarchySection, lang: Lang, *, chart_id: str) -> str:
    """A treemap: areas sized by households, their grids inside (an ``<svg>`` element).

    Raises:
        ReportError: ``report.extra_missing`` without matplotlib.
    """
    width, height = 760.0, 440.0
    areas = sorted(section.areas, key=lambda a: (-a.households, a.id))
    areas = [a for a in areas if a.households > 0]

    def draw() -> Figure:
        from matplotlib.patches import Rectangle

        fig = _figure(width, height)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, height)
        ax.axis("off")
        boxes = treemap([a.households for a in areas], 2, 2, width - 4, height - 4)
        for index, (area, (x, y, w, h)) in enumerate(zip(areas, boxes, strict=True)):
            colour = _COLOURS[index % 5]
            grids = sorted(area.grids, key=lambda g: -g.households)
            grids = [g for g in grids if g.households > 0]
            inner = treemap([g.households for g in grids], x, y, w, h) if grids else []
            for gx, gy, gw, gh in inner:
                ax.add_patch(
                    Rectangle(
                        (gx, gy), gw, gh, facecolor=colour, alpha=0.55, edgecolor="white",
                        linewidth=0.6,
                    )
                )  # fmt: skip
            ax.add_patch(Rectangle((x, y), w, h, fill=False, edgecolor="white", linewidth=2.5))
            label = _short(area.name)
            size = _FONT_PX * 0.75
            if _em(label) * _FONT_PX + 6 > w and len(label) > 4:
                half = (len(label) + 1) // 2
                label = f"{label[:half]}\n{label[half:]}"
            lines = label.split("\n")
            fits = max(_em(s) for s in lines) * _FONT_PX + 4 <= w
            if fits and h > 16 * (len(lines) + 1):
                ax.text(
                    x + w / 2, y + h / 2, f"{label}\n{area.households:,}",
                    ha="center", va="center", fontsize=size, color="#111111",
                )  # fmt: skip
        return fig

    return _svg(draw, chart_id)


def pipeline_chart(section: PipelineSection, lang: Lang, *, chart_id: str) -> str:
    """Bars: projects that reached each state (an ``<svg>`` element)."""
    labels = [state_label(s.state, lang) for s in section.reached]
    values = [float(s.reached) for s in section.reached]
    return _bar_figure(
        labels,
        [(t("col.reached", lang), values)],
        xlabel=t("axis.projects", lang),
        chart_id=chart_id,
        value_format=lambda v: f"{v:.0f}",
    )


def stages_chart(section: PipelineSection, lang: Lang, *, chart_id: str) -> str:
    """Bars: median days per stage (an ``<svg>`` element)."""
    labels = [f"{state_label(s.start, lang)} → {state_label(s.end, lang)}" for s in section.stages]
    values = [float(s.median_days) if s.median_days is not None else 0.0 for s in section.stages]
    return _bar_figure(
        labels,
        [(t("col.median_days", lang), values)],
        xlabel=t("axis.days", lang),
        chart_id=chart_id,
        value_format=lambda v: f"{v:.1f}",
    )


def participation_chart(section: ParticipationSection, lang: Lang, *, chart_id: str) -> str:
    """Bars: the share of entitled households that raised a hand, per area."""
    rows = [r for r in section.rows if r.votes]
    return _bar_figure(
        [_short(r.name) for r in rows],
        [(t("col.share", lang), [float(r.share or 0) * 100 for r in rows])],
        xlabel=t("axis.share", lang),
        chart_id=chart_id,
        value_format=lambda v: f"{v:.0f}%",
        xlim=(0, 100),
    )


def funds_chart(section: FundsSection, lang: Lang, *, chart_id: str) -> str:
    """Grouped bars per area: received, granted, spent, returned (¥10,000)."""
    series = [
        (t(f"col.{key}", lang), [getattr(r, key) / 1_000_000 for r in section.rows])
        for key in ("budget", "granted", "spent", "returned")
    ]
    return _bar_figure(
        [_short(r.name) for r in section.rows],
        series,
        xlabel=t("axis.yuan", lang),
        chart_id=chart_id,
        row=12,
    )


def rules_chart(section: FundsSection, lang: Lang, *, chart_id: str) -> str:
    """Grouped bars per area: money granted under each allocation rule compared."""
    series = [
        (rule, [r.by_rule.get(rule, 0) / 1_000_000 for r in section.rows]) for rule in section.rules
    ]
    return _bar_figure(
        [_short(r.name) for r in section.rows],
        series,
        xlabel=t("axis.yuan", lang),
        chart_id=chart_id,
        row=14,
    )


def band_labels(section: ResponseSection, lang: Lang) -> list[str]:
    """The labels of the response-time bands.

    Example:
        >>> from microgov.report._model import ResponseSection
        >>> band_labels(ResponseSection(rows=(), bands=(4, 10**6, None), within_hours=4), "en")
        ['≤ 4 h', '> 4 h', 'not answered']
    """
    labels = []
    previous = 0
    for top in section.bands:
        if top is None:
            labels.append(t("band.unanswered", lang))
        elif top >= 10**6:
            labels.append(t("band.over", lang, h=previous))
        else:
            labels.append(t("band.upto", lang, h=top))
            previous = top
    return labels


def responses_chart(section: ResponseSection, lang: Lang, *, chart_id: str) -> str:
    """100 % stacked bars per area: the share of topics in each response-time band."""
    rows = [r for r in section.rows if r.count]
    labels = [_short(r.name) for r in rows]
    names = band_labels(section, lang)
    keep = [i for i in range(len(names)) if any(r.buckets[i] for r in rows)]
    width = 760.0
    left = _left(labels)
    height = max(len(rows), 1) * 18 + 90

    def draw() -> Figure:
        fig = _figure(width, height)
        ax = fig.add_axes((left / width, 40 / height, 1 - (left + 20) / width, 1 - 80 / height))
        starts = [0.0] * len(rows)
        for index in keep:
            shares = [100 * r.buckets[index] / r.count for r in rows]
            ax.barh(
                range(len(rows)), shares, left=starts, height=0.75, label=names[index],
                color=_SEQUENTIAL[min(index, len(_SEQUENTIAL) - 1)]
                if names[index] != t("band.unanswered", lang) else "#555555",
            )  # fmt: skip
            starts = [s + v for s, v in zip(starts, shares, strict=True)]
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel(t("axis.share", lang))
        ax.tick_params(axis="y", length=0)
        ax.legend(
            loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(len(keep), 7), frameon=False,
            fontsize=_FONT_PX * 0.7,
        )  # fmt: skip
        return fig

    return _svg(draw, chart_id)


def indicators_chart(section: IndicatorSection, lang: Lang, *, chart_id: str) -> str:
    """Diverging bars: each indicator's change against the previous year (%)."""
    rows = [r for r in section.rows if r.change is not None]
    labels = [r.name_zh if lang == "zh" else r.name_en for r in rows]
    values = [float(r.change or 0) * 100 for r in rows]
    width = 760.0
    left = _left(labels)
    height = max(len(rows), 1) * 20 + 60

    def draw() -> Figure:
        fig = _figure(width, height)
        ax = fig.add_axes((left / width, 40 / height, 1 - (left + 60) / width, 1 - 52 / height))
        colours = [_COLOURS[2] if v >= 0 else _COLOURS[3] for v in values]
        bars = ax.barh(range(len(rows)), values, color=colours, height=0.7)
        ax.bar_label(bars, labels=[f"{v:+.1f}%" for v in values], padding=3,
                     fontsize=_FONT_PX * 0.7)  # fmt: skip
        ax.axvline(0, color="#444444", linewidth=0.8)
        ax.set_yticks(range(len(rows)), labels)
        ax.invert_yaxis()
        ax.set_xlabel(t("axis.change", lang))
        ax.tick_params(axis="y", length=0)
        span = max((abs(v) for v in values), default=1.0) * 1.3 or 1.0
        ax.set_xlim(-span, span)
        return fig

    return _svg(draw, chart_id)
