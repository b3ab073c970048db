#!/usr/bin/python3
"""The benchmark's figures as SVG charts, drawn here (no plotting library, no service):

  latency.svg    fan-out: the last socket's p99 against the change rate, one line per
                 socket count (logarithmic time axis)
  cpu.svg        server CPU per delivery for each sockets x rate, beside the Node.js `ws`
                 peer's, against the kernel's cost of writing the same bytes (the floor),
                 all measured in the same run
  bookings.svg   bookings per second through the server against book.lua driven
                 straight at Redis and the PING floor, same run

tools/bench/run calls write_charts() with its summary; by hand:
  tools/bench/charts.py build/bench/results.json OUT_DIR
"""
import html
import json
import math
import os
import sys

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 48, 56
COLOURS = ["#0b6e4f", "#c2571a", "#3a5ba0", "#8a2c75"]
FONT = "font-family='DejaVu Sans, Verdana, sans-serif'"


def _text(x, y, s, size=12, anchor="start", weight="normal", fill="#1b1f23"):
    return (f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' font-weight='{weight}' "
            f"fill='{fill}' {FONT}>{html.escape(str(s))}</text>")


def _frame(title, subtitle):
    return [f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
            f"viewBox='0 0 {WIDTH} {HEIGHT}' role='img' aria-label='{html.escape(title)}'>",
            f"<rect width='{WIDTH}' height='{HEIGHT}' fill='#ffffff'/>",
            _text(LEFT, 22, title, 15, weight="bold"), _text(LEFT, 38, subtitle, 11, fill="#57606a")]


def _nice_max(v):
    if v <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * exp:
            return m * exp
    return 10 * exp


def _fmt(v):
    if float(v).is_integer():
        return f"{int(v):,}"
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}" if v >= 10 else f"{v:,.2f}".rstrip("0").rstrip(".")


def latency_chart(b3):
    """b3: {"small": {rate: figures}, "large": {...}} as summarise() makes it."""
    series = []
    for key in ("small", "large"):
        points = sorted((float(rate), f["last_socket_p99_ms"], f["sockets"]) for rate, f in (b3.get(key) or {}).items())
        if points:
            series.append((f"{points[0][2]:,} sockets", [(r, ms) for r, ms, _ in points]))
    out = _frame("Fan-out latency: last socket's p99", "milliseconds from the booking to the last of all sockets")
    if not series:
        return "\n".join(out + [_text(WIDTH / 2, HEIGHT / 2, "no fan-out figures in this run", anchor="middle"), "</svg>"])
    rates = sorted({r for _, pts in series for r, _ in pts})
    values = [ms for _, pts in series for _, ms in pts if ms > 0]
    lo = 10 ** math.floor(math.log10(min(values)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(rate):
        return LEFT + (rates.index(rate) + 0.5) * plot_w / len(rates)

    def y_of(ms):
        return TOP + plot_h - (math.log10(max(ms, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * plot_h

    decade = lo
    while decade <= hi:
        y = y_of(decade)
        out.append(f"<line x1='{LEFT}' y1='{y:.1f}' x2='{WIDTH - RIGHT}' y2='{y:.1f}' stroke='#d0d7de'/>")
        out.append(_text(LEFT - 8, y + 4, _fmt(decade) + " ms", 11, "end", fill="#57606a"))
        decade *= 10
    for r in rates:
        out.append(_text(x_of(r), HEIGHT - BOTTOM + 20, f"{_fmt(r)} changes/s", 11, "middle", fill="#57606a"))
    for i, (name, pts) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{'M' if j == 0 else 'L'}{x_of(r):.1f},{y_of(ms):.1f}" for j, (r, ms) in enumerate(pts))
        out.append(f"<path d='{path}' fill='none' stroke='{colour}' stroke-width='2.5'/>")
        for r, ms in pts:
            out.append(f"<circle cx='{x_of(r):.1f}' cy='{y_of(ms):.1f}' r='4' fill='{colour}'/>")
            out.append(_text(x_of(r) + 7, y_of(ms) - 6, _fmt(ms), 11, fill=colour))
        out.append(f"<rect x='{LEFT + 10 + i * 150}' y='{HEIGHT - 22}' width='12' height='12' fill='{colour}'/>")
        out.append(_text(LEFT + 28 + i * 150, HEIGHT - 12, name, 12))
    out.append("</svg>")
    return "\n".join(out)


def _bars(title, subtitle, bars, unit, reference=None, log=False, legend=None):
    """bars: [(label, values, colours)], one group of bars side by side per label (a single
    value and colour stand for a group of one); reference: (label, value) drawn as a dashed
    line and named in the legend row; legend: [(name, colour)] for the bars of a group;
    `log`: a logarithmic axis (for values that span decades)."""
    out = _frame(title, subtitle)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM - (16 if legend or reference else 0)
    bars = [(label, v if isinstance(v, (list, tuple)) else [v], c if isinstance(c, (list, tuple)) else [c])
            for label, v, c in bars]
    values = [x for _, vs, _ in bars for x in vs] + ([reference[1]] if reference else [])
    if log:
        lo = 10 ** math.floor(math.log10(max(min(v for v in values if v > 0), 1e-3)))
        hi = 10 ** math.ceil(math.log10(max(values)))

        def height(v):
            return (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * plot_h
        ticks = [lo * 10 ** k for k in range(round(math.log10(hi / lo)) + 1)]
    else:
        top = _nice_max(max(values) * 1.1)

        def height(v):
            return v / top * plot_h
        ticks = [top * i / 4 for i in range(5)]
    for v in ticks:
        y = TOP + plot_h - height(v)
        out.append(f"<line x1='{LEFT}' y1='{y:.1f}' x2='{WIDTH - RIGHT}' y2='{y:.1f}' stroke='#d0d7de'/>")
        out.append(_text(LEFT - 8, y + 4, _fmt(v), 11, "end", fill="#57606a"))
    out.append(_text(14, TOP + plot_h / 2, unit, 11, "middle", fill="#57606a").replace(
        "<text ", f"<text transform='rotate(-90 14 {TOP + plot_h / 2:.1f})' ", 1))
    slot = plot_w / max(len(bars), 1)
    base = TOP + plot_h
    for i, (label, vs, colours) in enumerate(bars):
        width = slot * 0.6 / len(vs)
        for j, (v, colour) in enumerate(zip(vs, colours)):
            h = height(v)
            x = LEFT + i * slot + slot * 0.2 + j * width
            out.append(f"<rect x='{x:.1f}' y='{base - h:.1f}' width='{width - 1:.1f}' height='{h:.1f}' fill='{colour}'/>")
            out.append(_text(x + width / 2, base - h - 6, _fmt(v), 10 if len(vs) > 1 else 11, "middle"))
        for k, line in enumerate(label.split("\n")):
            out.append(_text(LEFT + i * slot + slot / 2, base + 16 + 13 * k, line, 11, "middle", fill="#57606a"))
    x = LEFT
    for name, colour in legend or []:
        out.append(f"<rect x='{x}' y='{HEIGHT - 20}' width='12' height='12' fill='{colour}'/>")
        out.append(_text(x + 18, HEIGHT - 10, name, 11))
        x += 26 + 7 * len(name)
    if reference:
        y = base - height(reference[1])
        out.append(f"<line x1='{LEFT}' y1='{y:.1f}' x2='{WIDTH - RIGHT}' y2='{y:.1f}' stroke='#8a2c75' "
                   f"stroke-width='2' stroke-dasharray='6 4'/>")
        out.append(f"<line x1='{x}' y1='{HEIGHT - 14}' x2='{x + 22}' y2='{HEIGHT - 14}' stroke='#8a2c75' "
                   f"stroke-width='2' stroke-dasharray='6 4'/>")
        out.append(_text(x + 28, HEIGHT - 10, f"{reference[0]}: {_fmt(reference[1])}", 11, fill="#8a2c75"))
    out.append("</svg>")
    return "\n".join(out)


def cpu_chart(b3, floor_write_us, node=None):
    """Ours per sockets x rate, beside the Node.js `ws` peer of the same run when there is one."""
    bars = []
    for key in ("small", "large"):
        for rate, f in sorted((b3.get(key) or {}).items(), key=lambda kv: float(kv[0])):
            label = f"{f['sockets']:,} sockets\n{_fmt(float(rate))}/s"
            peer = ((node or {}).get(key) or {}).get(rate)
            if peer:
                bars.append((label, [f["server_cpu_us_per_delivery"], peer["server_cpu_us_per_delivery"]],
                             [COLOURS[0], COLOURS[1]]))
            else:
                bars.append((label, f["server_cpu_us_per_delivery"], COLOURS[0]))
    legend = [("ours", COLOURS[0])] + ([("Node.js ws peer", COLOURS[1])] if node else [])
    return _bars("Server CPU per delivery", "µs of server CPU for one update to one socket, against the kernel floor",
                 bars, "µs per delivery (log)", ("kernel write of the same bytes", floor_write_us), log=True,
                 legend=legend)


def bookings_chart(s):
    bars = [("through the server\n(HTTP, Redis, change log)", s["b1_throughput"], COLOURS[0]),
            ("book.lua straight\nat Redis", s["script_ceiling"], COLOURS[1])]
    return _bars("Bookings per second", f"all-out, 64 connections; the server reaches {s['b1_ratio']:.2f} × the script at Redis",
                 bars, "bookings per second", ("Redis PING, the round-trip ceiling", s["ping_floor"]) if s.get("ping_floor") else None)


def write_charts(summary, out_dir):
    """Writes the charts the summary has figures for; the paths written."""
    os.makedirs(out_dir, exist_ok=True)
    charts = {}
    if summary.get("b3"):
        charts["latency.svg"] = latency_chart(summary["b3"])
        if "floor_write_us" in summary:
            charts["cpu.svg"] = cpu_chart(summary["b3"], summary["floor_write_us"],
                                          (summary.get("b3_peers") or {}).get("node"))
    if "b1_throughput" in summary and "script_ceiling" in summary:
        charts["bookings.svg"] = bookings_chart(summary)
    written = []
    for name, svg in charts.items():
        path = os.path.join(out_dir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(svg + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        results = json.load(f)
    for p in write_charts(results["summary"], sys.argv[2]):
        print("wrote", p)
