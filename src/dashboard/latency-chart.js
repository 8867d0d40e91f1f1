/**
 * The per-function latency chart, drawn as inline SVG (no chart library: the page has no build
 * step and loads nothing from elsewhere). One row per function and invocation type on a shared
 * millisecond axis: a bar to the median, a lighter band to the 95th percentile, and a dot for
 * every invocation (red when the function failed).
 *
 * An EVENT's round trip is only Lambda queueing it (the function runs later), so EVENT invocations
 * get rows of their own, labelled as queueing times, and never mix with the durations of
 * synchronous invocations.
 */
const SVG = 'http://www.w3.org/2000/svg';
const ROW_HEIGHT = 30;
const LABEL_WIDTH = 180;
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

/** Row order within a function: what it takes to run first, then the probes and the queueing. */
const TYPE_ORDER = ['REQUEST_RESPONSE', 'DRY_RUN', 'EVENT'];
const TYPE_SUFFIX = { REQUEST_RESPONSE: '', DRY_RUN: ' · dry run', EVENT: ' · EVENT queued' };

/**
 * The chart's series, one per function and invocation type, from `summaries` (InvocationSummary
 * objects): only invocations Lambda answered count, since a refused one says nothing about the
 * function's latency. Each has its label, its durations sorted, p50, p95 and max, and its points.
 */
export function latencySeries(summaries) {
  const byKey = new Map();
  for (const summary of summaries) {
    if (summary.status === 'REFUSED') continue;
    const key = `${summary.functionName}\u0000${summary.invocationType}`;
    const series = byKey.get(key) ?? { functionName: summary.functionName, invocationType: summary.invocationType, points: [] };
    series.points.push({ durationMs: summary.durationMs, failed: summary.status === 'FAILED' });
    byKey.set(key, series);
  }
  const rank = (type) => (TYPE_ORDER.includes(type) ? TYPE_ORDER.indexOf(type) : TYPE_ORDER.length);
  return [...byKey.values()]
    .sort((a, b) =>
      a.functionName < b.functionName ? -1 : a.functionName > b.functionName ? 1 : rank(a.invocationType) - rank(b.invocationType),
    )
    .map((series) => {
      const durations = series.points.map((point) => point.durationMs).sort((a, b) => a - b);
      return {
        ...series,
        label: `${series.functionName}${TYPE_SUFFIX[series.invocationType] ?? ` · ${series.invocationType}`}`,
        queueing: series.invocationType === 'EVENT',
        durations,
        p50: percentile(durations, 50),
        p95: percentile(durations, 95),
        max: durations[durations.length - 1],
      };
    });
}

/** Draws `summaries` (InvocationSummary objects) into `container`. */
export function renderLatencyChart(container, summaries) {
  const rows = latencySeries(summaries);
  container.replaceChildren();
  if (rows.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'muted';
    empty.textContent = 'The chart fills in as functions are invoked.';
    container.append(empty);
    return;
  }
  const max = niceMax(Math.max(...rows.map((row) => row.max)));
  const plotLeft = LABEL_WIDTH;
  const plotWidth = WIDTH - LABEL_WIDTH - STATS_WIDTH;
  const x = (ms) => plotLeft + (Math.min(ms, max) / max) * plotWidth;
  const height = rows.length * ROW_HEIGHT + AXIS_HEIGHT;
  const svg = element('svg', { viewBox: `0 0 ${WIDTH} ${height}`, role: 'img' });
  svg.append(element('title', {}, 'Gateway round trip per function, in milliseconds (for EVENT: until Lambda queued it)'));

  for (let tick = 0; tick <= 4; tick++) {
    const value = (max * tick) / 4;
    const tx = x(value);
    svg.append(element('line', { class: 'grid', x1: tx, x2: tx, y1: 0, y2: rows.length * ROW_HEIGHT }));
    svg.append(element('text', { class: 'axis', x: tx, y: height - 6, 'text-anchor': 'middle' }, `${formatMs(value)} ms`));
  }

  rows.forEach((series, row) => {
    const { label, p50, p95 } = series;
    const top = row * ROW_HEIGHT;
    const middle = top + ROW_HEIGHT / 2;
    const group = element('g', {
      'data-function': series.functionName,
      'data-invocation-type': series.invocationType,
      class: series.queueing ? 'queueing' : 'running',
    });
    const what = series.queueing ? 'EVENT invocations queued' : 'invocations';
    group.append(
      element(
        'title',
        {},
        `${label}: ${series.points.length} ${what}, median ${formatMs(p50)} ms, p95 ${formatMs(p95)} ms, max ${formatMs(series.max)} ms`,
      ),
    );
    group.append(element('text', { class: 'label', x: 0, y: middle + 4 }, label.length > 26 ? `${label.slice(0, 25)}…` : label));
    group.append(element('rect', { class: 'p95', x: plotLeft, y: middle - 7, width: Math.max(1, x(p95) - plotLeft), height: 14, rx: 2 }));
    group.append(element('rect', { class: 'p50', x: plotLeft, y: middle - 4, width: Math.max(1, x(p50) - plotLeft), height: 8, rx: 2 }));
    for (const point of series.points) {
      group.append(element('circle', { class: point.failed ? 'dot failed' : 'dot', cx: x(point.durationMs), cy: middle, r: 3 }));
    }
    group.append(
      element(
        'text',
        { class: 'stats', x: WIDTH - STATS_WIDTH + 10, y: middle + 4 },
        `p50 ${formatMs(p50)} · p95 ${formatMs(p95)} ms · n=${series.points.length}`,
      ),
    );
    svg.append(group);
  });
  container.append(svg);
}
