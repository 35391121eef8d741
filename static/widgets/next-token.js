// next-token: a tiny, hand-written "language model" that shows the generation loop:
// context -> scores (logits) -> softmax with temperature -> pick a token -> append -> repeat.
// Contract: export default mount(element, options); options: { prompt, temperature }.

const NAME = 'next-token';
const SEED = 2; // the first run's seed, chosen so it reads well at every temperature; Reset draws a new one
const END = '.';
let instances = 0;

// Logits keyed on the last two words, then the last word; FALLBACK otherwise.
const PLACE = { and: 2.3, while: 1.4, [END]: 1.2, all: 0.9 };
const MODEL = {
  'on the': { mat: 3.2, floor: 2.4, sofa: 2.2, roof: 1.6, windowsill: 1.3, keyboard: 1.0 },
  'the mat': { and: 2.4, while: 1.3, [END]: 1.2, all: 0.9 },
  'mat and': { purred: 2.6, yawned: 2.0, slept: 1.9, stared: 1.3 },
  'and purred': { softly: 2.5, happily: 1.6, [END]: 1.5, loudly: 1.1 },
  'purred softly': { in: 2.3, [END]: 1.6, while: 1.1 },
  'softly in': { the: 3.4, a: 1.8, its: 1.2 },
  'in the': { warm: 2.6, sun: 2.0, garden: 1.7, morning: 1.5, kitchen: 1.3 },
  'the warm': { sun: 2.9, afternoon: 1.9, kitchen: 1.6, blanket: 1.5 },
  'warm sun': { [END]: 3.0, and: 1.4, all: 0.9 },
  'in a': { sunny: 2.0, cozy: 1.6, warm: 1.5 },
  'at the': { dog: 2.0, birds: 1.9, door: 1.5 },
  floor: PLACE, sofa: PLACE, roof: PLACE, windowsill: PLACE, keyboard: PLACE, mat: PLACE,
  and: { purred: 2.0, yawned: 1.8, slept: 1.8, stared: 1.2 },
  purred: { softly: 2.2, [END]: 2.0, happily: 1.5, loudly: 1.0 },
  slept: { soundly: 2.0, [END]: 2.0, in: 1.5 },
  yawned: { [END]: 2.2, and: 1.5, loudly: 1.0 },
  stared: { at: 2.5, [END]: 1.5 },
  softly: { [END]: 2.2, in: 1.4 }, happily: { [END]: 2.2, in: 1.4 }, loudly: { [END]: 2.2, in: 1.4 },
  in: { the: 2.5, a: 1.4 },
  at: { the: 2.5, a: 1.5 },
  while: { the: 2.0, it: 1.8, everyone: 1.0 },
  everyone: { slept: 2.2, watched: 1.6 }, it: { rained: 2.0, snowed: 1.2 },
  all: { day: 2.5, afternoon: 1.8, night: 1.5 },
  the: { dog: 1.5, sun: 1.5, garden: 1.4, window: 1.2 },
  a: { bird: 1.8, mouse: 1.7, nap: 1.5 },
  its: { tail: 2.0, bed: 1.6 },
  warm: { sun: 2.5, spot: 1.8, blanket: 1.6 },
  sunny: { spot: 2.5, garden: 1.5 },
  cozy: { corner: 2.2, box: 1.8 },
  sun: { [END]: 2.6, and: 1.2 },
};
const FALLBACK = { [END]: 2.4, and: 1.1, quietly: 0.8, again: 0.6 };

/** Deterministic PRNG (mulberry32): same seed, same "random" choices. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = (text) => text.toLowerCase().match(/[a-z']+|\./g) || [];
function logitsFor(text) {
  const w = words(text);
  return MODEL[w.slice(-2).join(' ')] || MODEL[w[w.length - 1]] || FALLBACK;
}
/** Softmax of logits / temperature, sorted most likely first. */
export function distribution(text, temperature) {
  const entries = Object.entries(logitsFor(text));
  const max = Math.max(...entries.map(([, l]) => l / temperature));
  const exps = entries.map(([tok, l]) => [tok, Math.exp(l / temperature - max)]);
  const sum = exps.reduce((s, [, e]) => s + e, 0);
  return exps.map(([token, e]) => ({ token, p: e / sum })).sort((x, y) => y.p - x.p);
}

const pct = (p) => (p < 0.005 ? '<1%' : `${Math.round(p * 100)}%`);
const show = (tok) => (tok === END ? '. (end)' : tok);
const describeT = (t) => `${t.toFixed(1)}${t < 0.6 ? ', sharp: the top word almost always wins'
  : t > 1.4 ? ', flat: unlikely words get picked more' : t === 1 ? ', exactly the model\u2019s own probabilities' : ', close to the model\u2019s own probabilities'}`;

const CSS = `
.w-next-token { color: var(--cg-fg, #1f2937); background: var(--cg-surface, #f3f4f6);
  border: 1px solid var(--cg-border, #d1d5db); border-radius: 8px; padding: 1rem;
  display: grid; gap: .85rem; max-width: 100%; box-sizing: border-box; font-size: 1rem; }
.w-next-token * { box-sizing: border-box; }
.w-next-token p { margin: 0; }
.w-next-token .w-next-token-label { font-weight: 600; display: block; margin-bottom: .3rem; }
.w-next-token .w-next-token-text { background: var(--cg-bg, #ffffff); border: 1px solid var(--cg-border, #d1d5db);
  border-radius: 6px; padding: .6rem .75rem; font-size: 1.125rem; line-height: 1.6; overflow-wrap: anywhere; }
.w-next-token .w-next-token-gen { color: var(--cg-accent, #2563eb); font-weight: 600; }
.w-next-token .w-next-token-new { text-decoration: underline; text-decoration-thickness: 2px; text-underline-offset: 3px; }
.w-next-token ol { list-style: none; margin: 0; padding: 0; display: grid; gap: .3rem; }
.w-next-token li { display: grid; grid-template-columns: minmax(4.5rem, 7.5rem) 1fr 3rem; align-items: center; gap: .5rem; }
.w-next-token .w-next-token-word { overflow-wrap: anywhere; }
.w-next-token .w-next-token-pct { text-align: right; font-variant-numeric: tabular-nums; }
.w-next-token .w-next-token-bar { height: .9rem; background: var(--cg-bg, #ffffff); border: 1px solid var(--cg-border, #d1d5db); border-radius: 3px; overflow: hidden; }
.w-next-token .w-next-token-fill { height: 100%; background: var(--cg-accent, #2563eb); transition: width .25s ease; }
.w-next-token .w-next-token-temp { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; }
.w-next-token .w-next-token-temp label { font-weight: 600; }
.w-next-token .w-next-token-nowrap { display: inline-flex; gap: .75rem; white-space: nowrap; }
.w-next-token li.w-next-token-done { display: block; }
.w-next-token input[type=range] { flex: 1 1 6rem; min-width: 0; accent-color: var(--cg-accent, #2563eb); }
.w-next-token output { font-variant-numeric: tabular-nums; min-width: 2.5rem; font-weight: 600; }
.w-next-token .w-next-token-buttons { display: flex; flex-wrap: wrap; gap: .5rem; }
.w-next-token button { font: inherit; padding: .45rem .9rem; border-radius: 6px; cursor: pointer;
  border: 2px solid var(--cg-accent, #2563eb); background: var(--cg-bg, #ffffff); color: var(--cg-fg, #1f2937); }
.w-next-token button.w-next-token-primary { background: var(--cg-accent, #2563eb); color: var(--cg-bg, #ffffff); }
.w-next-token button:disabled { opacity: .5; cursor: not-allowed; }
.w-next-token :focus-visible { outline: 3px solid var(--cg-accent, #2563eb); outline-offset: 2px; }
.w-next-token .w-next-token-live { font-weight: 600; min-height: 1.5em; }
.w-next-token .w-next-token-note { color: var(--cg-muted, #4b5563); font-size: .875rem; }
@media (prefers-reduced-motion: reduce) { .w-next-token .w-next-token-fill { transition: none; } }
/* Inside the theme's framed .cg-widget box, do not draw a second frame. */
.cg-widget > .w-next-token { border: 0; padding: 0; background: none; }
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

export default function mount(element, options = {}) {
  injectStyle();
  const id = `w-${NAME}-${++instances}`;
  const prompt = String(options.prompt ?? 'The cat sat on the').trim();
  const t0 = Math.min(2, Math.max(0.1, Math.round((Number(options.temperature) || 1) * 10) / 10));
  let tokens = [], rng = mulberry32(SEED), temperature = t0, liveTimer = 0;

  const root = el('div', { className: `w-${NAME}` });
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', 'Next-token demo: a toy language model');

  const textLabel = el('span', { className: `w-${NAME}-label`, id: `${id}-tl`, textContent: 'Text so far' });
  const text = el('p', { className: `w-${NAME}-text`, id: `${id}-text` });
  const listLabel = el('span', { className: `w-${NAME}-label`, id: `${id}-ll`, textContent: 'Candidates for the next token' });
  const list = el('ol', { id: `${id}-list` });
  list.setAttribute('aria-labelledby', listLabel.id);

  const slider = el('input', { type: 'range', id: `${id}-t`, min: '0.1', max: '2', step: '0.1', value: String(t0) });
  const out = el('output', { htmlFor: slider.id });
  const temp = el('div', { className: `w-${NAME}-temp` },
    el('span', { className: `w-${NAME}-nowrap` }, el('label', { htmlFor: slider.id, textContent: 'Temperature' }), out), slider);

  const btn = (label, cls = '') => el('button', { type: 'button', textContent: label, className: cls });
  const sampleBtn = btn('Next token', `w-${NAME}-primary`);
  const greedyBtn = btn('Pick most likely');
  const resetBtn = btn('Reset');
  const live = el('p', { className: `w-${NAME}-live`, id: `${id}-live` });
  live.setAttribute('aria-live', 'polite');
  live.textContent = 'Press “Next token” to sample a word, or “Pick most likely”.';
  const note = el('p', { className: `w-${NAME}-note`, textContent:
    'This is exactly the loop an LLM runs: score every possible next token, turn the scores into probabilities, pick one, append it, repeat. A real model does it over a vocabulary of tens of thousands of tokens (32,000 for Llama 2), with billions of parameters instead of this small hand-written table.' });

  root.append(el('div', {}, textLabel, text), el('div', {}, listLabel, list), temp,
    el('div', { className: `w-${NAME}-buttons` }, sampleBtn, greedyBtn, resetBtn), live, note);
  element.replaceChildren(root);

  const current = () => [prompt, ...tokens].join(' ').replace(/ \./g, '.');
  const finished = () => /\.\s*$/.test(current());

  function render() {
    text.replaceChildren(prompt);
    tokens.forEach((tok, i) => {
      const span = el('span', { className: `w-${NAME}-gen`, textContent: tok });
      if (i === tokens.length - 1) span.classList.add(`w-${NAME}-new`);
      text.append(tok === END ? '' : ' ', span);
    });
    slider.setAttribute('aria-valuetext', describeT(temperature));
    out.textContent = temperature.toFixed(1);
    const done = finished();
    sampleBtn.disabled = greedyBtn.disabled = done;
    if (done) {
      list.replaceChildren(el('li', { className: `w-${NAME}-done`, textContent: 'The sentence is finished. Press Reset to start again.' }));
      return;
    }
    list.replaceChildren(...distribution(current(), temperature).slice(0, 6).map(({ token, p }) => {
      const fill = el('div', { className: `w-${NAME}-fill` });
      fill.style.width = `${(p * 100).toFixed(1)}%`;
      const bar = el('div', { className: `w-${NAME}-bar` }, fill);
      bar.setAttribute('aria-hidden', 'true');
      return el('li', {}, el('span', { className: `w-${NAME}-word`, textContent: show(token) }), bar,
        el('span', { className: `w-${NAME}-pct`, textContent: pct(p) }));
    }));
  }

  function announce(msg, delay = 0) {
    clearTimeout(liveTimer);
    if (delay) liveTimer = setTimeout(() => { live.textContent = msg; }, delay);
    else live.textContent = msg;
  }

  function choose(greedy) {
    if (finished()) return;
    const dist = distribution(current(), temperature);
    let pick = dist[0];
    if (!greedy) {
      let r = rng();
      pick = dist.find((d) => (r -= d.p) < 0) || dist[dist.length - 1];
    }
    tokens.push(pick.token);
    render();
    let msg = `Chose '${pick.token}' with ${pct(pick.p)} probability${greedy ? ' (most likely)' : ''}.`;
    if (finished()) {
      msg += ' The sentence is finished; press Reset to start again.';
      resetBtn.focus(); // the focused button was just disabled
    }
    announce(msg);
  }

  sampleBtn.addEventListener('click', () => choose(false));
  greedyBtn.addEventListener('click', () => choose(true));
  resetBtn.addEventListener('click', () => {
    tokens = [];
    rng = mulberry32((Date.now() ^ (Math.random() * 0x100000000)) >>> 0);
    render();
    announce(`Reset to '${prompt}'. New random choices: sampling again may pick different words.`);
  });
  slider.addEventListener('input', () => {
    temperature = Number(slider.value);
    render();
    if (finished()) return;
    const [top] = distribution(current(), temperature);
    announce(`Temperature ${temperature.toFixed(1)}: most likely next token '${top.token}' at ${pct(top.p)}.`, 300);
  });
  render();
}
