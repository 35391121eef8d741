// bag-of-words: two sentences -> shared vocabulary -> count vectors -> cosine similarity.
// Contract: export default mount(element, options); options: { a, b } (default sentences).

const NAME = 'bag-of-words';
const DEFAULT_A = 'I sat on the river bank';
const DEFAULT_B = 'The bank approved my loan';
let instances = 0;

const CSS = `
.w-bag-of-words { color: var(--cg-fg, #1f2937); background: var(--cg-surface, #f3f4f6);
  border: 1px solid var(--cg-border, #d1d5db); border-radius: 8px; padding: 1rem;
  display: grid; gap: .75rem; max-width: 100%; box-sizing: border-box; font-size: 1rem; }
.w-bag-of-words * { box-sizing: border-box; }
.w-bag-of-words .w-bag-of-words-field { display: grid; gap: .25rem; }
.w-bag-of-words label { font-weight: 600; }
.w-bag-of-words input { width: 100%; min-width: 0; font: inherit; padding: .45rem .6rem;
  color: var(--cg-fg, #1f2937); background: var(--cg-bg, #ffffff);
  border: 1px solid var(--cg-muted, #4b5563); border-radius: 6px; }
.w-bag-of-words input:focus-visible, .w-bag-of-words .w-bag-of-words-scroll:focus-visible {
  outline: 3px solid var(--cg-accent, #2563eb); outline-offset: 2px; }
.w-bag-of-words .w-bag-of-words-scroll { overflow-x: auto; max-width: 100%;
  border: 1px solid var(--cg-border, #d1d5db); border-radius: 6px; background: var(--cg-bg, #ffffff); }
.w-bag-of-words table { border-collapse: collapse; min-width: 100%; font-variant-numeric: tabular-nums; }
.w-bag-of-words .w-bag-of-words-vec { margin: 0 0 -.5rem; font-size: .875rem; color: var(--cg-muted, #4b5563); }
.w-bag-of-words th, .w-bag-of-words td { padding: .35rem .6rem; text-align: center;
  border-top: 1px solid var(--cg-border, #d1d5db); white-space: nowrap; }
.w-bag-of-words thead th { font-weight: 600; }
.w-bag-of-words th[scope="row"], .w-bag-of-words thead th:first-child { text-align: left; font-weight: 600; }
.w-bag-of-words .w-bag-of-words-shared { background: var(--cg-accent, #2563eb); color: var(--cg-bg, #ffffff); }
.w-bag-of-words td.w-bag-of-words-shared { font-weight: 700; }
.w-bag-of-words .w-bag-of-words-chip { display: inline-block; padding: 0 .4rem; border-radius: 4px; }
.w-bag-of-words .w-bag-of-words-legend { margin: 0; font-size: .875rem; color: var(--cg-muted, #4b5563); }
.w-bag-of-words .w-bag-of-words-result { margin: 0; padding: .6rem .75rem; border-left: 4px solid var(--cg-accent, #2563eb);
  background: var(--cg-bg, #ffffff); border-radius: 0 6px 6px 0; overflow-wrap: anywhere; }
.w-bag-of-words .w-bag-of-words-empty { padding: .6rem; margin: 0; color: var(--cg-muted, #4b5563); }
/* Inside the theme's framed .cg-widget box, do not draw a second frame. */
.cg-widget > .w-bag-of-words { border: 0; padding: 0; background: none; }
`;

function injectStyle() {
  if (document.getElementById(`w-${NAME}-style`)) return;
  const style = document.createElement('style');
  style.id = `w-${NAME}-style`;
  style.textContent = CSS;
  document.head.append(style);
}

/** Lowercase, strip punctuation, split into words (keeps inner apostrophes: "don't"). */
export function tokenize(text) {
  return String(text).toLowerCase().match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) || [];
}

function counts(words) {
  const m = new Map();
  for (const w of words) m.set(w, (m.get(w) || 0) + 1);
  return m;
}

function cosine(u, v) {
  let dot = 0, nu = 0, nv = 0;
  for (let i = 0; i < u.length; i++) { dot += u[i] * v[i]; nu += u[i] ** 2; nv += v[i] ** 2; }
  return nu && nv ? dot / Math.sqrt(nu * nv) : 0;
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const quote = (w) => `“${w}”`;
const listWords = (ws) => ws.length < 2 ? ws.map(quote).join('')
  : `${ws.slice(0, -1).map(quote).join(', ')} and ${quote(ws[ws.length - 1])}`;

export default function mount(element, options = {}) {
  injectStyle();
  const id = `w-${NAME}-${++instances}`;
  const root = el('div', { className: `w-${NAME}` });
  root.setAttribute('role', 'group');
  root.setAttribute('aria-label', 'Bag-of-words demo');

  const makeField = (key, label, value) => {
    const input = el('input', { type: 'text', id: `${id}-${key}`, value, maxLength: 200,
      spellcheck: false, autocomplete: 'off' });
    const field = el('div', { className: `w-${NAME}-field` },
      el('label', { htmlFor: input.id, textContent: label }), input);
    return { field, input };
  };
  const a = makeField('a', 'Sentence A', String(options.a ?? DEFAULT_A));
  const b = makeField('b', 'Sentence B', String(options.b ?? DEFAULT_B));

  const scroll = el('div', { className: `w-${NAME}-scroll`, tabIndex: 0 });
  scroll.setAttribute('role', 'region');
  const vec = el('p', { className: `w-${NAME}-vec`, id: `${id}-vec` });
  scroll.setAttribute('aria-labelledby', vec.id);
  const legend = el('p', { className: `w-${NAME}-legend` });
  const result = el('p', { className: `w-${NAME}-result`, id: `${id}-result` });
  result.setAttribute('aria-live', 'polite');
  result.setAttribute('data-role', 'result');

  root.append(a.field, b.field, vec, scroll, legend, result);
  element.replaceChildren(root);

  let timer = 0;
  function update(immediate = false) {
    const wa = tokenize(a.input.value), wb = tokenize(b.input.value);
    const ca = counts(wa), cb = counts(wb);
    const vocab = [...new Set([...wa, ...wb])];
    const va = vocab.map((w) => ca.get(w) || 0), vb = vocab.map((w) => cb.get(w) || 0);
    const shared = vocab.filter((w) => ca.has(w) && cb.has(w));
    renderTable(vocab, va, vb, new Set(shared));

    legend.replaceChildren();
    if (shared.length) {
      legend.append(el('span', { className: `w-${NAME}-chip w-${NAME}-shared`, textContent: 'highlighted' }),
        ' columns are words that appear in both sentences.');
    } else {
      legend.textContent = 'No word appears in both sentences.';
    }

    let text;
    if (!wa.length || !wb.length) {
      text = 'Type at least one word in each sentence to compare them.';
    } else {
      const sim = cosine(va, vb).toFixed(2);
      text = `Cosine similarity of the two count vectors: ${sim} (1 = the same words in the same proportions, 0 = no words in common). `;
      text += shared.length
        ? `Shared: ${listWords(shared)}. Bag of words gives ${shared.length > 1 ? 'each of them the same column' : 'it the same column'} in both vectors, whatever ${shared.length > 1 ? 'they mean' : 'it means'} in each sentence, and ignores word order.`
        : 'No shared words, so bag of words sees the sentences as unrelated, even if they mean similar things.';
    }
    // Debounce the live announcement so screen readers are not flooded while typing.
    clearTimeout(timer);
    const write = () => { if (result.textContent !== text) result.textContent = text; };
    if (immediate) write(); else timer = setTimeout(write, 250);
  }

  function renderTable(vocab, va, vb, shared) {
    vec.textContent = vocab.length
      ? `Count vectors: ${vocab.length} word${vocab.length > 1 ? 's' : ''} in the shared vocabulary, one column per word, one row per sentence`
      : 'Count vectors';
    if (!vocab.length) {
      scroll.replaceChildren(el('p', { className: `w-${NAME}-empty`, textContent: 'No words yet.' }));
      return;
    }
    const cls = (w) => (shared.has(w) ? `w-${NAME}-shared` : '');
    const head = el('tr', {}, el('th', { scope: 'col', textContent: 'Sentence' }),
      ...vocab.map((w) => el('th', { scope: 'col', className: cls(w), textContent: w })));
    const row = (label, v) => el('tr', {}, el('th', { scope: 'row', textContent: label }),
      ...v.map((n, i) => el('td', { className: cls(vocab[i]), textContent: String(n) })));
    const table = el('table', {}, el('thead', {}, head), el('tbody', {}, row('A', va), row('B', vb)));
    table.setAttribute('aria-labelledby', vec.id);
    scroll.replaceChildren(table);
  }

  a.input.addEventListener('input', () => update());
  b.input.addEventListener('input', () => update());
  update(true);
}
