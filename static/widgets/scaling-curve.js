// scaling-curve: more training compute -> lower loss (a pure power law, a straight line on log axes),
// and exact multi-digit arithmetic gets better odds but never a guarantee. All numbers are illustrative.
// Contract: export default mount(element, options); options: { max_compute_exponent }.

const NAME = 'scaling-curve';
const SVGNS = 'http://www.w3.org/2000/svg';
const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
let instances = 0;

// Kaplan et al. (2020) fitted a pure power law in compute, L(C) = (Cc / C)^0.050, with no floor term;
// A is made up for teaching. Each 10x of compute multiplies the loss by 10^-0.05, about 0.89.
const A = 3.0, ALPHA = 0.05;
export const loss = (e) => A * 10 ** (-ALPHA * e);
// Exact 6-digit multiplication accuracy in %: near zero for small models, then rising smoothly with scale
// towards a ceiling below 100% (illustrative; real models improve with scale but give no guarantee).
const CEILING = 85, MIDPOINT = 5, STEEPNESS = 1.2;
export const arithmetic = (e) => Math.max(0.5, CEILING / (1 + Math.exp(-STEEPNESS * (e - MIDPOINT))));

const pow = (e) => `10${String(e).split('').map((d) => SUP[d]).join('')}`;
const caret = (e) => `10^${e}`;

// Chart geometry (viewBox units).
const W = 320, H = 204, L = 48, R = 308, T = 16, B = 160, INSET = 8;

const CSS = `
.w-scaling-curve { color: var(--cg-fg, #1f2937); background: var(--cg-surface, #f3f4f6);
  border: 1px solid var(--cg-border, #d1d5db); border-radius: 8px; padding: 1rem;
  display: grid; gap: .85rem; max-width: 100%; box-sizing: border-box; font-size: 1rem; }
.w-scaling-curve * { box-sizing: border-box; }
.w-scaling-curve p { margin: 0; }
.w-scaling-curve .w-scaling-curve-control { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; }
.w-scaling-curve label { font-weight: 600; }
.w-scaling-curve .w-scaling-curve-nowrap { display: inline-flex; gap: .75rem; white-space: nowrap; }
.w-scaling-curve input[type=range] { flex: 1 1 12rem; min-width: 0; accent-color: var(--cg-accent, #2563eb); }
.w-scaling-curve output { font-weight: 600; font-variant-numeric: tabular-nums; min-width: 3.5rem; }
.w-scaling-curve :focus-visible { outline: 3px solid var(--cg-accent, #2563eb); outline-offset: 2px; }
.w-scaling-curve .w-scaling-curve-charts { display: flex; flex-wrap: wrap; gap: .75rem; }
.w-scaling-curve figure { margin: 0; flex: 1 1 17rem; min-width: 0; max-width: 34rem;
  background: var(--cg-bg, #ffffff); border: 1px solid var(--cg-border, #d1d5db); border-radius: 6px; padding: .5rem; display: flex; flex-direction: column; justify-content: space-between; }
.w-scaling-curve figcaption { font-weight: 600; font-size: .9375rem; margin: 0 0 .25rem .25rem; }
.w-scaling-curve svg { display: block; width: 100%; height: auto; overflow: visible; }
.w-scaling-curve svg text { fill: var(--cg-muted, #4b5563); font-size: 12px; font-family: inherit;
  paint-order: stroke; stroke: var(--cg-bg, #ffffff); stroke-width: 4px; stroke-linejoin: round; }
.w-scaling-curve svg .w-scaling-curve-value { fill: var(--cg-fg, #1f2937); font-weight: 700; font-size: 13px; }
.w-scaling-curve .w-scaling-curve-axis { stroke: var(--cg-muted, #4b5563); stroke-width: 1; fill: none; }
.w-scaling-curve .w-scaling-curve-grid { stroke: var(--cg-border, #d1d5db); stroke-width: 1; }
.w-scaling-curve .w-scaling-curve-line { fill: none; stroke-width: 2.5; stroke-linejoin: round; }
.w-scaling-curve .w-scaling-curve-loss { stroke: var(--cg-accent, #2563eb); }
.w-scaling-curve .w-scaling-curve-arith { stroke: var(--cg-bad, #b91c1c); }
.w-scaling-curve .w-scaling-curve-calc { stroke: var(--cg-good, #15803d); stroke-width: 1.5; stroke-dasharray: 5 4; }
.w-scaling-curve .w-scaling-curve-guide { stroke: var(--cg-fg, #1f2937); stroke-width: 1; stroke-dasharray: 3 3; }
.w-scaling-curve .w-scaling-curve-dot { fill: var(--cg-fg, #1f2937); stroke: var(--cg-bg, #ffffff); stroke-width: 2; }
.w-scaling-curve .w-scaling-curve-live { font-weight: 600; }
.w-scaling-curve .w-scaling-curve-note { color: var(--cg-muted, #4b5563); font-size: .875rem; }
/* Inside the theme's framed .cg-widget box, do not draw a second frame. */
.cg-widget > .w-scaling-curve { border: 0; padding: 0; background: none; }
`;

function injectStyle() {
  if (document.getElementById(`w-${NAME}-style`)) return;
  const style = document.createElement('style');
  style.id = `w-${NAME}-style`;
  style.textContent = CSS;
  document.head.append(style);
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** One chart: axes, ticks, a curve, and a marker that update() moves. */
function chart({ id, caption, max, yMin, yMax, yTicks, yFmt, yLabel, fn, samples, lineClass, extra, logY }) {
  const x = (e) => L + INSET + (e / max) * (R - L - INSET);
  const scale = logY ? Math.log10 : (v) => v;
  const y = (v) => B - ((scale(v) - scale(yMin)) / (scale(yMax) - scale(yMin))) * (B - T);
  const title = svg('title', { id: `${id}-title` });
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': title.id, focusable: 'false' });
  root.append(title);
  for (const v of yTicks) {
    root.append(svg('line', { class: `w-${NAME}-grid`, x1: L, x2: R, y1: y(v), y2: y(v) }),
      svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, yFmt(v)));
  }
  const every = max > 8 ? 2 : 1;
  for (let e = 0; e <= max; e += every) {
    root.append(svg('line', { class: `w-${NAME}-axis`, x1: x(e), x2: x(e), y1: B, y2: B + 4 }),
      svg('text', { x: x(e), y: B + 17, 'text-anchor': 'middle' }, pow(e)));
  }
  root.append(svg('path', { class: `w-${NAME}-axis`, d: `M${L},${T - 6}V${B}H${R}` }),
    svg('text', { x: (L + R) / 2, y: H - 6, 'text-anchor': 'middle' }, 'Compute (relative, log scale)'),
    svg('text', { x: -(T + B) / 2, y: 12, transform: 'rotate(-90)', 'text-anchor': 'middle' }, yLabel));
  const guide = svg('line', { class: `w-${NAME}-guide`, y1: T - 6, y2: B });
  root.append(guide); // drawn under the labels, so their halo keeps them readable
  if (extra) extra(root, x, y);
  const pts = samples.map((e) => `${x(e).toFixed(1)},${y(fn(e)).toFixed(1)}`).join(' ');
  root.append(svg('polyline', { class: `w-${NAME}-line ${lineClass}`, points: pts }));
  const dot = svg('circle', { class: `w-${NAME}-dot`, r: 5 });
  const value = svg('text', { class: `w-${NAME}-value` });
  root.append(dot, value);
  const figure = el('figure', {}, el('figcaption', { textContent: caption }), root);
  const move = (e) => {
    const cx = x(e), cy = y(fn(e));
    guide.setAttribute('x1', cx); guide.setAttribute('x2', cx);
    dot.setAttribute('cx', cx); dot.setAttribute('cy', cy);
    const right = cx + 40 > W; // label above-right of the dot unless it would not fit
    value.setAttribute('x', cx + (right ? -9 : 9));
    value.setAttribute('y', cy - 9 < T ? cy + 18 : cy - 9);
    value.setAttribute('text-anchor', right ? 'end' : 'start');
    value.textContent = yFmt(fn(e), true);
  };
  return { figure, title, move };
}

export default function mount(element, options = {}) {
  injectStyle();
  const id = `w-${NAME}-${++instances}`;
  const max = Math.min(12, Math.max(2, Math.round(Number(options.max_compute_exponent) || 8)));
  const fine = Array.from({ length: 61 }, (_, i) => (i / 60) * max);

  const root = el('div', { className: `w-${NAME}` });
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', 'Scaling curve demo (illustrative figures)');

  const slider = el('input', { type: 'range', id: `${id}-c`, min: '0', max: String(max), step: '1', value: '0' });
  const out = el('output', { htmlFor: slider.id });
  const control = el('div', { className: `w-${NAME}-control` },
    el('span', { className: `w-${NAME}-nowrap` }, el('label', { htmlFor: slider.id, textContent: 'Training compute' }), out), slider);

  const lo = Math.floor(loss(max) * 10) / 10, hi = Math.ceil(loss(0) * 10) / 10;
  const lossChart = chart({
    id: `${id}-loss`, caption: 'Language-model loss (lower is better, log scale)', max, yMin: lo, yMax: hi,
    yTicks: [lo, Math.round(Math.sqrt(lo * hi) * 10) / 10, hi], yFmt: (v) => v.toFixed(2), yLabel: 'Loss',
    fn: loss, samples: fine, lineClass: `w-${NAME}-loss`, logY: true,
  });
  const arithChart = chart({
    id: `${id}-arith`, caption: 'Exact 6-digit multiplication accuracy (illustrative)', max, yMin: 0, yMax: 100,
    yTicks: [0, 50, 100], yFmt: (v, exact) => `${exact ? v.toFixed(0) : v}%`, yLabel: 'Accuracy',
    fn: arithmetic, samples: fine, lineClass: `w-${NAME}-arith`,
    extra: (svgRoot, x, y) => svgRoot.append(
      svg('line', { class: `w-${NAME}-calc`, x1: L, x2: R, y1: y(100), y2: y(100) }),
      svg('text', { x: R, y: y(100) + 14, 'text-anchor': 'end' }, 'a calculator: 100%')),
  });

  const live = el('p', { className: `w-${NAME}-live`, id: `${id}-live` });
  live.setAttribute('aria-live', 'polite');
  const note = el('p', { className: `w-${NAME}-note`, textContent:
    'Illustrative figures, not measurements: the loss follows the power law Kaplan et al. (2020) fitted, L \u221d C^\u22120.05 (a straight line on these log axes), with a made-up constant; later work adds a floor the loss levels off at, left out here. The arithmetic curve is invented to show the pattern: better odds with scale, never a guarantee.' });

  root.append(control, el('div', { className: `w-${NAME}-charts` }, lossChart.figure, arithChart.figure), live, note);
  element.replaceChildren(root);

  function update(announce) {
    const e = Number(slider.value);
    out.textContent = `${pow(e)}×`;
    slider.setAttribute('aria-valuetext', `10 to the power ${e}: ${(10 ** e).toLocaleString('en-US')} times the smallest run`);
    const l = loss(e), d = l - loss(0);
    lossChart.move(e);
    arithChart.move(e);
    lossChart.title.textContent = `Line chart: language-model loss falls smoothly from ${loss(0).toFixed(2)} at ${caret(0)} to ${loss(max).toFixed(2)} at ${caret(max)} compute. Marker at ${caret(e)}: loss ${l.toFixed(2)}.`;
    arithChart.title.textContent = `Line chart (illustrative): exact 6-digit multiplication accuracy rises from ${arithmetic(0).toFixed(0)}% at ${caret(0)} to ${arithmetic(max).toFixed(0)}% at ${caret(max)} compute, below a calculator's 100%. Marker at ${caret(e)}: ${arithmetic(e).toFixed(0)}%.`;
    const change = e === 0 ? 'the starting point' : `\u2212${Math.abs(d).toFixed(2)} vs ${caret(0)}`;
    const text = `At ${caret(e)}× compute, loss is ${l.toFixed(2)} (${change}); exact arithmetic is right ${arithmetic(e).toFixed(0)}% of the time: better odds, never a guarantee.`;
    if (announce || !live.textContent) live.textContent = text;
  }
  slider.addEventListener('input', () => update(true));
  update(false);
}
