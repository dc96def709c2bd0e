// Small SVG charts (a line or bars over x), drawn with createElementNS: no library, no inline style. Each chart is an
// <svg role="img"> with a <title> and a <desc>, and a text summary beside it (first, last, lowest, highest), so a
// screen reader or a reader without colour vision gets the figures too. Colours come from console.css (.chart …).

import { addStrings, t } from './i18n.js';

addStrings({
  en: { 'chart.summary': '{label}: from {first} to {last}; lowest {min}, highest {max} ({count} points).' },
  zh: { 'chart.summary': '{label}：从 {first} 到 {last}；最低 {min}，最高 {max}（共 {count} 个点）。' },
});

const SVG = 'http://www.w3.org/2000/svg';
const MARGIN = { top: 12, right: 12, bottom: 24, left: 44 };

function svg(tag, attrs = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/** The lowest and highest of `values`, widened when equal so that a flat series still has a scale. */
function extent(values, { fromZero = false } = {}) {
  let low = Math.min(...values), high = Math.max(...values);
  if (fromZero) low = Math.min(0, low);
  if (low === high) high = low + 1;
  return [low, high];
}

/**
 * The common frame of both charts: scales, axes with their first and last labels, the accessible title and the text
 * summary. `draw(g, x, y)` adds the series.
 */
function frame(kind, { points, width = 640, height = 180, label = '', format = String, formatX = String, empty = '—' }, draw) {
  const figure = document.createElement('figure');
  figure.className = `chart-figure chart-${kind}`;
  if (!points || points.length === 0) {
    figure.append(Object.assign(document.createElement('p'), { className: 'empty', textContent: empty }));
    return figure;
  }
  const [x0, x1] = extent(points.map(p => p.x));
  const [y0, y1] = extent(points.map(p => p.y), { fromZero: true });
  const plotWidth = width - MARGIN.left - MARGIN.right, plotHeight = height - MARGIN.top - MARGIN.bottom;
  const x = value => MARGIN.left + ((value - x0) / (x1 - x0)) * plotWidth;
  const y = value => MARGIN.top + plotHeight - ((value - y0) / (y1 - y0)) * plotHeight;
  const ys = points.map(p => p.y);
  const summary = t('chart.summary', { label, first: format(ys[0]), last: format(ys[ys.length - 1]),
    min: format(Math.min(...ys)), max: format(Math.max(...ys)), count: points.length });
  const titleId = `chart-title-${++frame.count}`, descId = `chart-desc-${frame.count}`;
  const root = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}` });
  root.append(svg('title', { id: titleId }, label), svg('desc', { id: descId }, summary));
  const g = svg('g');
  g.append(
    svg('line', { class: 'axis', x1: MARGIN.left, y1: MARGIN.top + plotHeight, x2: width - MARGIN.right, y2: MARGIN.top + plotHeight }),
    svg('line', { class: 'axis', x1: MARGIN.left, y1: MARGIN.top, x2: MARGIN.left, y2: MARGIN.top + plotHeight }),
    svg('text', { x: MARGIN.left - 6, y: MARGIN.top + 8, 'text-anchor': 'end' }, format(y1)),
    svg('text', { x: MARGIN.left - 6, y: MARGIN.top + plotHeight, 'text-anchor': 'end' }, format(y0)),
    svg('text', { x: MARGIN.left, y: height - 6, 'text-anchor': 'start' }, formatX(points[0].x)),
    svg('text', { x: width - MARGIN.right, y: height - 6, 'text-anchor': 'end' }, formatX(points[points.length - 1].x)));
  draw(g, x, y, { y0, plotWidth });
  root.append(g);
  const caption = document.createElement('figcaption');
  caption.className = 'chart-summary small';
  caption.textContent = summary;
  figure.append(root, caption);
  return figure;
}
frame.count = 0;

/**
 * A line chart (with the area under it shaded).
 * @param {object} options
 * @param {Array<{x: number, y: number}>} options.points the series, in x order
 * @param {number} [options.width=640] the drawing's width in SVG units (it scales to its box)
 * @param {number} [options.height=180] its height
 * @param {string} options.label what it shows (the SVG's title, the summary's start)
 * @param {(y: number) => string} [options.format] how a y value reads
 * @param {(x: number) => string} [options.formatX] how an x value reads (the axis's first and last labels)
 * @param {string} [options.empty] the text shown when there are no points
 * @returns {HTMLElement} a <figure> holding the SVG and its text summary
 */
export function lineChart(options) {
  return frame('line', options, (g, x, y, { y0 }) => {
    const path = options.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    const first = options.points[0], last = options.points[options.points.length - 1];
    g.append(
      svg('path', { class: 'area', d: `${path} L${x(last.x).toFixed(1)},${y(y0).toFixed(1)} L${x(first.x).toFixed(1)},${y(y0).toFixed(1)} Z` }),
      svg('path', { class: 'series', d: path }));
  });
}

/**
 * A bar chart: one bar per point, of equal width. Same options as {@link lineChart}.
 * @returns {HTMLElement} a <figure> holding the SVG and its text summary
 */
export function barChart(options) {
  return frame('bar', options, (g, x, y, { y0, plotWidth }) => {
    const { points } = options;
    const step = points.length > 1 ? plotWidth / points.length : plotWidth / 2;
    const barWidth = Math.max(1, step * 0.8);
    for (const p of points) {
      const left = Math.min(Math.max(MARGIN.left, x(p.x) - barWidth / 2), MARGIN.left + plotWidth - barWidth);
      const top = Math.min(y(p.y), y(y0));
      const bar = svg('rect', { class: 'bar', x: left.toFixed(1), y: top.toFixed(1), width: barWidth.toFixed(1), height: Math.abs(y(y0) - y(p.y)).toFixed(1) });
      g.append(bar);
    }
  });
}
