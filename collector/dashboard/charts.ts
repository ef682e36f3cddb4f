import { h, type Html } from './html.js';
import type { TrendPoint } from './queries.js';

/**
 * Charts as inline SVG rendered on the server. Each has a text alternative (aria-label and
 * visible text beside it), and the state is shown by a marker and words, not colour alone.
 */
export function progressBar(percent: number | null, target: number, label: string): Html {
  const width = 240;
  const value = percent === null ? 0 : Math.max(0, Math.min(100, percent));
  const reached = percent !== null && percent >= target;
  const targetX = (target / 100) * width;
  return h`<svg class="bar" viewBox="0 0 ${width} 16" width="${width}" height="16" role="img" aria-label="${label}" focusable="false">
<rect x="0" y="2" width="${width}" height="12" rx="3" class="bar-bg"/>
<rect x="0" y="2" width="${((value / 100) * width).toFixed(1)}" height="12" rx="3" class="${reached ? 'bar-ok' : 'bar-low'}"/>
<line x1="${targetX.toFixed(1)}" y1="0" x2="${targetX.toFixed(1)}" y2="16" class="bar-target"/>
</svg>`;
}

/** A line of failing findings per day, with the first and last values written out. */
export function trendChart(points: readonly TrendPoint[], label: string): Html {
  const width = 640;
  const height = 180;
  const pad = { left: 40, right: 12, top: 12, bottom: 28 };
  const max = Math.max(1, ...points.map((p) => p.failing));
  const x = (i: number) => pad.left + (points.length <= 1 ? 0 : (i / (points.length - 1)) * (width - pad.left - pad.right));
  const y = (v: number) => pad.top + (1 - v / max) * (height - pad.top - pad.bottom);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y(p.failing).toFixed(1)}`).join(' ');
  const first = points[0];
  const last = points[points.length - 1];
  const ticks = [0, Math.round(max / 2), max].filter((v, i, all) => all.indexOf(v) === i);
  return h`<svg class="trend" viewBox="0 0 ${width} ${height}" role="img" aria-label="${label}" focusable="false" preserveAspectRatio="xMinYMin meet">
${ticks.map((t) => h`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/><text x="${pad.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" class="axis">${t}</text>`)}
<polyline points="${line}" class="trend-line" fill="none"/>
${points.length > 0 && points.length <= 62 ? points.map((p, i) => h`<circle cx="${x(i).toFixed(1)}" cy="${y(p.failing).toFixed(1)}" r="2.5" class="trend-dot"/>`) : ''}
${first ? h`<text x="${pad.left}" y="${height - 8}" class="axis">${first.day}</text>` : ''}
${last ? h`<text x="${width - pad.right}" y="${height - 8}" text-anchor="end" class="axis">${last.day}</text>` : ''}
</svg>`;
}
