/**
 * The per-function latency chart, drawn as inline SVG (no chart library: the page has no build
 * step and loads nothing from elsewhere). One row per function on a shared millisecond axis: a
 * bar to the median, a lighter band to the 95th percentile, and a dot for every invocation
 * (red when the function failed).
 */
const SVG = 'http://www.w3.org/2000/svg';
const ROW_HEIGHT = 30;
const LABEL_WIDTH = 130;
const STATS_WIDTH = 190;
const WIDTH = 760;
const AXIS_HEIGHT = 22;

/** The nearest-rank percentile of sorted values. */
function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A round axis maximum (1, 2 or 5 times a power of ten) at or above `value`. */
function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

function element(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatMs(ms) {
  if (ms === 0) return '0';
  return ms >= 100 ? `${Math.round(ms)}` : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/**
 * Draws `summaries` (InvocationSummary objects) into `container`. Only invocations Lambda
 * answered count: a refused one says nothing about the function's latency.
 */
export function renderLatencyChart(container, summaries) {
  const byFunction = new Map();
  for (const summary of summaries) {
    if (summary.status === 'REFUSED') continue;
    const list = byFunction.get(summary.functionName) ?? [];
    list.push(summary);
    byFunction.set(summary.functionName, list);
  }
  container.replaceChildren();
  if (byFunction.size === 0) {
    const empty = document.createElement('p');
    empty.className = 'muted';
    empty.textContent = 'The chart fills in as functions are invoked.';
    container.append(empty);
    return;
  }
  const names = [...byFunction.keys()].sort();
  const all = summaries.filter((s) => s.status !== 'REFUSED').map((s) => s.durationMs);
  const max = niceMax(Math.max(...all));
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - STATS_WIDTH;
  const x = (ms) => plotLeft + (Math.min(ms, max) / max) * plotWidth;
  const height = names.length * ROW_HEIGHT + AXIS_HEIGHT;
  const svg = element('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img' });
  svg.append(element('title', {}, 'Gateway round trip per function, in milliseconds'));

  for (let tick = 0; tick <= 4; tick++) {
    const value = (max * tick) / 4;
    const tx = x(value);
    svg.append(element('line', { class: 'grid', x1: tx, x2: tx, y1: 0, y2: names.length * ROW_HEIGHT }));
    svg.append(element('text', { class: 'axis', x: tx, y: height - 6, 'text-anchor': 'middle' }, `${formatMs(value)} ms`));
  }

  names.forEach((name, row) => {
    const list = byFunction.get(name);
    const sorted = list.map((s) => s.durationMs).sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const top = row * ROW_HEIGHT;
    const middle = top + ROW_HEIGHT / 2;
    const group = element('g', { 'data-function': name });
    group.append(element('title', {}, `${name}: ${list.length} invocations, median ${formatMs(p50)} ms, p95 ${formatMs(p95)} ms, max ${formatMs(sorted[sorted.length - 1])} ms`));
    group.append(element('text', { class: 'label', x: 0, y: middle + 4 }, name.length > 18 ? `${name.slice(0, 17)}…` : name));
    group.append(element('rect', { class: 'p95', x: plotLeft, y: middle - 7, width: Math.max(1, x(p95) - plotLeft), height: 14, rx: 2 }));
    group.append(element('rect', { class: 'p50', x: plotLeft, y: middle - 4, width: Math.max(1, x(p50) - plotLeft), height: 8, rx: 2 }));
    for (const summary of list) {
      group.append(element('circle', { class: summary.status === 'FAILED' ? 'dot failed' : 'dot', cx: x(summary.durationMs), cy: middle, r: 3 }));
    }
    group.append(
      element('text', { class: 'stats', x: WIDTH - STATS_WIDTH + 10, y: middle + 4 }, `p50 ${formatMs(p50)} · p95 ${formatMs(p95)} ms · n=${list.length}`),
    );
    svg.append(group);
  });
  container.append(svg);
}
