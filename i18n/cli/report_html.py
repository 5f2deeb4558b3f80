"""The dashboard as one static HTML page: Jinja2 for the page, hand-written SVG for the charts.

The page opens from disk with no server and no network: the CSS and every chart are inline, the fonts
are the system's, and it needs no JavaScript. Colours are the Okabe–Ito palette (distinguishable with
the common colour-vision deficiencies), and every coloured mark also has its number or label in text.
Figures are only rendered here, never computed: they all come from :class:`i18n.workflow.report.Dashboard`.
Each shown number that ``i18n status --json`` also reports carries ``data-figure`` attributes, so that
a test (or a script) can read it back from the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from i18n.core.atomic import write_atomic
from i18n.core.states import State
from i18n.core.workspace import Workspace
from i18n.workflow import report
from i18n.workflow.report import Burnup, Dashboard, ScheduleItem

#: The default folder of ``i18n report``, in the workspace.
DEFAULT_OUT = Path("build") / "report"

#: Okabe–Ito colours per state, and for the burn-up lines.
STATE_COLOURS = {
    State.UNTRANSLATED: "#CFCFCF",
    State.MACHINE: "#E69F00",
    State.NEEDS_WORK: "#D55E00",
    State.TRANSLATED: "#56B4E9",
    State.APPROVED: "#009E73",
}
SCOPE_COLOUR = "#6B6B6B"
APPROVED_COLOUR = STATE_COLOURS[State.APPROVED]
PUBLISHED_COLOUR = "#0072B2"
#: Dark text reads on the light colours, white on the dark ones.
_TEXT_ON = {State.UNTRANSLATED: "#222", State.MACHINE: "#222", State.NEEDS_WORK: "#fff",
            State.TRANSLATED: "#222", State.APPROVED: "#fff"}


@dataclass(frozen=True, slots=True)
class WrittenReport:
    """Where ``i18n report`` wrote the page, and what it shows."""

    path: Path
    dashboard: Dashboard


def write_report(workspace: Workspace, out: Path | None = None, *, user: str | None = None,
                 today: dt.date | None = None) -> WrittenReport:
    """Gather the dashboard (the use case) and write it as ``OUT/index.html`` (default ``build/report``)."""
    data = report.dashboard(workspace, user=user, today=today)
    return WrittenReport(write_dashboard(data, out if out is not None else workspace.root / DEFAULT_OUT), data)


def write_dashboard(dashboard: Dashboard, folder: Path) -> Path:
    """Write the page of figures already gathered as ``folder/index.html`` (``i18n daily`` uses it); its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    write_atomic(path, render(dashboard).encode("utf-8"))
    return path


def render(dashboard: Dashboard) -> str:
    """The page, as HTML text."""
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                                     lstrip_blocks=True)
    environment.globals.update(stacked_bar=stacked_bar, readiness_bar=readiness_bar, burnup_chart=burnup_chart,
                               share_bar=share_bar, states=list(State), colours=STATE_COLOURS,
                               text_on=_TEXT_ON, hours=_hours)
    return environment.from_string(_PAGE).render(d=dashboard, css=Markup(_CSS))


def stacked_bar(counts: Sequence[tuple[State, int]], *, label: str, height: int = 28) -> Markup:
    """A horizontal bar, one segment per state (worst first), with the count written in wide segments.

    Positions are percentages (no ``viewBox``), so that the bar fills its column and its text is not stretched.
    """
    total = sum(n for _, n in counts)
    parts = [f'<svg class="bar" width="100%" height="{height}" role="img" aria-label="{escape(label)}">']
    x = 0.0
    for state, n in counts:
        if n == 0 or total == 0:
            continue
        w = 100.0 * n / total
        parts.append(f'<rect x="{x:.3f}%" y="0" width="{w:.3f}%" height="{height}" fill="{STATE_COLOURS[state]}">'
                     f'<title>{escape(state.value)}: {n}</title></rect>')
        if w >= 1.3 * len(str(n)) + 1.5:
            parts.append(f'<text x="{x + w / 2:.3f}%" y="{height / 2 + 4.5:.1f}" text-anchor="middle" '
                         f'fill="{_TEXT_ON[state]}" font-size="13">{n}</text>')
        x += w
    if total == 0:
        parts.append(f'<rect width="100%" height="{height}" fill="#eee"/>')
    parts.append("</svg>")
    return Markup("".join(parts))


def readiness_bar(item: ScheduleItem, width: int = 90, height: int = 12) -> Markup:
    """A small bar of an article's entries per state (its readiness at a glance)."""
    counts = list(item.status.entries.items())
    total = sum(n for _, n in counts) or 1
    parts = [f'<svg class="mini" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-label="{item.percent_approved:g}% approved">']
    x = 0.0
    for state, n in counts:
        if n:
            w = width * n / total
            parts.append(f'<rect x="{x:.2f}" width="{w:.2f}" height="{height}" fill="{STATE_COLOURS[state]}"/>')
            x += w
    parts.append("</svg>")
    return Markup("".join(parts))


def share_bar(percent: float | None, width: int = 120, height: int = 12) -> Markup:
    """A bar filled to ``percent`` (of drafts accepted unchanged)."""
    if percent is None:
        return Markup("")
    w = width * percent / 100
    return Markup(f'<svg class="mini" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
                  f'aria-hidden="true"><rect width="{width}" height="{height}" fill="#eee"/>'
                  f'<rect width="{w:.2f}" height="{height}" fill="{APPROVED_COLOUR}"/></svg>')


def burnup_chart(burnup: Burnup, width: int = 560, height: int = 240) -> Markup:
    """Lines of articles dated so far (the scope), approved and published, one point per day."""
    left, right, top, bottom = 40, 84, 14, 30
    points = burnup.points
    if not points:
        return Markup("")
    peak = max(max(p.scope, p.approved, p.published) for p in points) or 1
    step = max(1, -(-peak // 4))
    peak = step * 4
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max(1, len(points) - 1)

    def x(i: int) -> float:
        return left + plot_w * i / span

    def y(v: int) -> float:
        return top + plot_h * (1 - v / peak)

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="Burn-up of {escape(burnup.language)} articles">']
    for v in range(0, peak + 1, step):
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(v):.1f}" y2="{y(v):.1f}" class="grid"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" class="tick">{v}</text>')
    for i, p in enumerate(points):
        if i % 7 == (len(points) - 1) % 7:
            parts.append(f'<text x="{x(i):.1f}" y="{height - 10}" text-anchor="middle" class="tick">'
                         f'{p.day.strftime("%d %b")}</text>')
    series = (("scope", "dated", SCOPE_COLOUR, "6 4"), ("approved", "approved", APPROVED_COLOUR, ""),
              ("published", "published", PUBLISHED_COLOUR, "2 3"))
    labels: list[tuple[float, int, str]] = []
    for order, (attribute, name, colour, dash) in enumerate(series):
        values = [getattr(p, attribute) for p in points]
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dashes}>'
                     f'<title>{name}</title></polyline>')
        labels.append((y(values[-1]) + 4, order, f'fill="{colour}" class="end">{values[-1]} {name}'))
    for label_y, text in zip(_spread([at for at, _, _ in sorted(labels)], 14, top + 10, top + plot_h + 4),
                             [text for _, _, text in sorted(labels)], strict=True):
        parts.append(f'<text x="{left + plot_w + 6}" y="{label_y:.1f}" {text}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Baselines as near ``wanted`` (sorted) as can be, each ``gap`` below the one before, all within
    ``[low, high]``: the end labels of lines that finish on the same value stack inside the chart instead of
    being pushed above its top edge (where "4 approved" was clipped under "4 dated")."""
    placed: list[float] = []
    for at in wanted:
        placed.append(max(at, low, placed[-1] + gap if placed else low))
    overflow = placed[-1] - high if placed else 0.0
    if overflow > 0:
        placed = [max(low + i * gap, at - overflow) for i, at in enumerate(placed)]
    return placed


def _hours(value: float) -> str:
    """``5.5 h`` under two days, else ``3.2 d``."""
    return f"{value:g} h" if value < 48 else f"{value / 24:.1f} d"


_CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #e3e3e3; --late: #fdece0; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       color: var(--ink); background: #f6f6f4; }
header { background: #20303c; color: #fff; padding: 20px 32px; }
header h1 { margin: 0; font-size: 22px; font-weight: 600; }
header p { margin: 4px 0 0; color: #c9d3da; }
main { max-width: 1200px; margin: 0 auto; padding: 20px 32px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 22px;
          margin: 0 0 18px; }
h2 { font-size: 18px; margin: 0 0 4px; }
.note { color: var(--muted); margin: 0 0 12px; font-size: 13.5px; }
.cards { display: flex; gap: 14px; flex-wrap: wrap; margin-bottom: 18px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px; min-width: 230px;
        flex: 1; }
.card .big { font-size: 30px; font-weight: 650; }
.card .lang { font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 13px; margin: 6px 0 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px;
          margin-right: 5px; }
.line-key { display: inline-block; width: 22px; border-top: 3px solid; vertical-align: 4px; margin-right: 5px; }
.progress { display: grid; grid-template-columns: 60px 70px 1fr; gap: 6px 12px; align-items: center; }
.progress .lang { font-weight: 600; }
.progress .unit { color: var(--muted); font-size: 13px; }
svg.bar { display: block; border-radius: 3px; }
svg.mini { vertical-align: middle; border-radius: 2px; }
svg .grid { stroke: #e8e8e8; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .end { font-size: 12px; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px; }
.charts h3 { margin: 6px 0; font-size: 15px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
#schedule td, #people td, #people th { white-space: nowrap; }
#schedule table { font-size: 13.5px; }
#schedule th, #schedule td { padding: 5px 6px; }
th { font-weight: 600; color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: .03em; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.late td { background: var(--late); }
tr.late td:first-child { box-shadow: inset 4px 0 0 #D55E00; }
.badge { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.badge.late { background: #D55E00; color: #fff; }
.badge.ok { background: #e3f3ee; color: #00684c; }
.state { display: inline-block; padding: 1px 7px; border-radius: 3px; font-size: 12.5px; }
.empty { color: var(--muted); font-style: italic; }
.two { display: grid; grid-template-columns: 3fr 2fr; gap: 18px; }
@media (max-width: 900px) { .two { grid-template-columns: 1fr; } }
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ d.project }}: translation dashboard</title>
<style>{{ css }}</style>
</head>
<body>
<header>
  <h1>{{ d.project }}: translation dashboard</h1>
  <p>Today {{ d.today.isoformat() }} &middot; generated {{ d.generated_at.strftime("%Y-%m-%d %H:%M") }} UTC
     from the status tracker &middot; the same figures: <code>i18n report --json</code></p>
</header>
<main>
<div class="cards">
{% for lang in d.languages %}
  <div class="card" data-language="{{ lang.language }}">
    <div class="lang">{{ lang.language }}</div>
    <div class="big"><span data-figure="percent_approved" data-language="{{ lang.language }}">{{
      "%g"|format(lang.percent_approved) }}</span>% approved</div>
    <div>articles: <b data-figure="articles.approved" data-language="{{ lang.language }}">{{
      lang.articles_approved }}</b> of <b data-figure="articles.total" data-language="{{ lang.language }}">{{
      lang.articles_total }}</b> approved, <b data-figure="articles.published" data-language="{{ lang.language
      }}">{{ lang.articles_published }}</b> published</div>
  </div>
{% endfor %}
</div>

<section id="progress">
  <h2>Progress per language</h2>
  <p class="note">Every entry in exactly one state (UI strings included), in entries and in words.</p>
  <div class="legend">{% for s in states %}<span><i class="swatch" style="background:{{ colours[s] }}"></i>{{
    s.value }}</span>{% endfor %}</div>
  <div class="progress">
  {% for lang in d.languages %}
    <div class="lang">{{ lang.language }}</div><div class="unit">entries</div>
    <div>{{ stacked_bar(lang.entries.items()|list, label=lang.language ~ " entries per state") }}</div>
    <div></div><div class="unit">words</div>
    <div>{{ stacked_bar(lang.words.items()|list, label=lang.language ~ " words per state") }}</div>
  {% endfor %}
  </div>
  <table style="margin-top:14px">
    <thead><tr><th>language</th><th></th>{% for s in states %}<th class="n">{{ s.value }}</th>{% endfor %}
      <th class="n">total</th></tr></thead>
    <tbody>
    {% for lang in d.languages %}
      {% for unit, counts in (("entries", lang.entries), ("words", lang.words)) %}
      <tr><td>{{ lang.language if unit == "entries" else "" }}</td><td>{{ unit }}</td>
        {% for s, n in counts.items() %}<td class="n" data-figure="{{ unit }}.{{ s.value }}"
          data-language="{{ lang.language }}">{{ n }}</td>{% endfor %}
        <td class="n" data-figure="{{ unit }}.total" data-language="{{ lang.language }}"><b>{{ counts.total
          }}</b></td></tr>
      {% endfor %}
    {% endfor %}
    </tbody>
  </table>
</section>

<section id="burnup">
  <h2>Burn-up: approved and published articles</h2>
  <p class="note">Last {{ d.burnup[0].points|length if d.burnup else 0 }} days, from the tracker's history and
    publication log. An article counts as approved when every entry is, as published while it is on a mirror.</p>
  <div class="legend"><span><i class="line-key" style="border-color:#6B6B6B;border-top-style:dashed"></i>articles
    dated so far</span><span><i class="line-key" style="border-color:#009E73"></i>approved</span>
    <span><i class="line-key" style="border-color:#0072B2;border-top-style:dotted"></i>published</span></div>
  <div class="charts">
  {% for b in d.burnup %}
    <div><h3>{{ b.language }}</h3>{{ burnup_chart(b) }}</div>
  {% endfor %}
  </div>
</section>

<section id="schedule">
  <h2>Schedule</h2>
  <p class="note">Articles dated from two weeks back to two weeks ahead, and any late assignment.
    Due: the assignment's date, else the article's date minus
    {{ d.lead_days }} day{{ "" if d.lead_days == 1 else "s" }}. Late rows: due date passed, not approved.</p>
  {% if d.schedule %}
  <table>
    <thead><tr><th>date</th><th>article</th><th>lang</th><th>state</th><th>translated</th>
      <th class="n">approved</th>      <th>translator</th><th>reviewer</th><th>due</th></tr></thead>
    <tbody>
    {% for i in d.schedule %}
      <tr class="{{ 'late' if i.late else '' }}" data-article="{{ i.status.article }}"
          data-language="{{ i.status.language }}">
        <td>{{ i.status.date.isoformat() }}</td><td class="article">{{ i.status.article }}</td>
        <td>{{ i.status.language }}</td>
        <td><span class="state" style="background:{{ colours[i.status.state] }};color:{{
          text_on[i.status.state] }}">{{ i.status.state.value }}</span></td>
        <td>{{ readiness_bar(i) }} {{ "%g"|format(i.percent_translated) }}%</td>
        <td class="n">{{ "%g"|format(i.percent_approved) }}%</td>
        <td>{{ i.status.assignment.translator if i.status.assignment and i.status.assignment.translator
          else "—" }}</td>
        <td>{{ i.status.assignment.reviewer if i.status.assignment and i.status.assignment.reviewer else "—" }}</td>
        <td>{{ i.due.isoformat() }} {% if i.late %}<span class="badge late">late</span>{%
          elif i.status.state.value == "approved" %}<span class="badge ok">ready</span>{% endif %}</td>
      </tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}<p class="empty">No articles dated around today.</p>{% endif %}
</section>

<div class="two">
<section id="people">
  <h2>People</h2>
  <p class="note">Entries translated, reviewed (approved or sent back) and approved, per person.</p>
  {% if d.people %}
  <table>
    <thead><tr><th rowspan="2">person</th><th class="n" colspan="2">translated</th>
      <th class="n" colspan="2">reviewed</th><th class="n" colspan="2">approved</th></tr>
      <tr>{% for _ in range(3) %}<th class="n">7 days</th><th class="n">30 days</th>{% endfor %}</tr></thead>
    <tbody>
    {% for p in d.people %}
      <tr><td>{{ p.name }}</td><td class="n">{{ p.translated_7 }}</td><td class="n">{{ p.translated_30 }}</td>
        <td class="n">{{ p.reviewed_7 }}</td><td class="n">{{ p.reviewed_30 }}</td>
        <td class="n">{{ p.approved_7 }}</td><td class="n">{{ p.approved_30 }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}<p class="empty">Nobody translated or reviewed anything in the last 30 days.</p>{% endif %}
</section>
<section id="turnaround">
  <h2>Review turnaround</h2>
  <p class="note">From an entry's becoming <i>translated</i> to its approval.</p>
  {% if d.turnaround %}
  <table>
    <thead><tr><th>language</th><th class="n">approvals</th><th class="n">median</th><th class="n">mean</th></tr>
    </thead>
    <tbody>
    {% for t in d.turnaround %}
      <tr><td>{{ t.language }}</td><td class="n">{{ t.approvals }}</td><td class="n">{{ hours(t.median_hours) }}</td>
        <td class="n">{{ hours(t.mean_hours) }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}<p class="empty">No approvals yet.</p>{% endif %}
</section>
</div>

<section id="machine">
  <h2>Machine translation</h2>
  <p class="note">Per engine and language: drafts made, drafts a person has settled (translated or approved), the
    share accepted unchanged, and how far drafts were from the approved text (character edit distance; chrF, 100 =
    identical).</p>
  {% if d.machine %}
  <table>
    <thead><tr><th>engine</th><th>lang</th><th class="n">drafts</th><th class="n">settled</th>
      <th class="n">accepted unchanged</th><th></th><th class="n">measured</th><th class="n">mean edit distance</th>
      <th class="n">mean chrF</th></tr></thead>
    <tbody>
    {% for m in d.machine %}
      <tr><td>{{ m.engine }}</td><td>{{ m.language }}</td><td class="n">{{ m.drafts }}</td>
        <td class="n">{{ m.settled }}</td>
        <td class="n">{{ m.accepted }}{% if m.percent_accepted is not none %} ({{ "%g"|format(m.percent_accepted)
          }}%){% endif %}</td><td>{{ share_bar(m.percent_accepted) }}</td>
        <td class="n">{{ m.measured }}</td>
        <td class="n">{{ "%g"|format(m.mean_edit_distance) if m.mean_edit_distance is not none else "—" }}</td>
        <td class="n">{{ "%g"|format(m.mean_chrf) if m.mean_chrf is not none else "—" }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}<p class="empty">No machine drafts on record (i18n pretranslate makes them).</p>{% endif %}
</section>

<section id="checks">
  <h2>Most frequent failing checks</h2>
  <p class="note">{{ d.failed_checks }} problems in {{ d.checked_entries }} checked entries
    (<code>i18n check</code> lists each one).</p>
  {% if d.checks %}
  {% set top = d.checks[0].count %}
  <table>
    <thead><tr><th>check</th><th>severity</th><th class="n">problems</th><th></th><th>per language</th></tr></thead>
    <tbody>
    {% for c in d.checks %}
      <tr><td><code>{{ c.code }}</code></td><td>{{ c.severity }}</td><td class="n">{{ c.count }}</td>
        <td><svg class="mini" viewBox="0 0 160 12" width="160" height="12" aria-hidden="true"><rect width="{{
          (160 * c.count / top)|round(1) }}" height="12" fill="{{ '#D55E00' if c.severity == 'error'
          else '#E69F00' }}"/></svg></td>
        <td>{% for lang, n in c.languages %}{{ lang }} {{ n }}{{ ", " if not loop.last else "" }}{% endfor %}</td>
      </tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}<p class="empty">Every check passes.</p>{% endif %}
</section>
</main>
</body>
</html>
"""
