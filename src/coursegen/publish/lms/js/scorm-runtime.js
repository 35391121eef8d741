// The launch page's side of SCORM 1.2 and 2004: one connection for the whole visit. It shows the
// course pages in a frame, keeps the LMS told of the progress the theme keeps (modules done, cards
// understood, the last place read) and of the quizzes answered right at the first try, and finishes
// once when the learner leaves. Settings come from the page (#cg-lms); without an LMS it opens the
// course as a plain site.
(() => {
  "use strict";
  const cfg = JSON.parse(document.getElementById("cg-lms").textContent);
  const frame = document.getElementById("cg-course");
  const V12 = {
    api: "API", init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    finish: "LMSFinish", mode: "cmi.core.lesson_mode", entry: "cmi.core.entry",
    location: "cmi.core.lesson_location", suspend: "cmi.suspend_data", exit: "cmi.core.exit",
    time: "cmi.core.session_time", score: "cmi.core.score", locationMax: 255,
  };
  const V2004 = {
    api: "API_1484_11", init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit",
    finish: "Terminate", mode: "cmi.mode", entry: "cmi.entry", location: "cmi.location",
    suspend: "cmi.suspend_data", exit: "cmi.exit", time: "cmi.session_time", score: "cmi.score",
    locationMax: 1000,
  };
  const v = cfg.version === "2004" ? V2004 : V12;
  const api = window.coursegenFindAPI(v.api);
  if (!api) { location.replace(cfg.start); return; }

  const root = new URL(".", location.href).href;
  const call = (name, ...args) => String(api[name](...args));
  call(v.init, "");
  const mode = call(v.get, v.mode);
  const writable = mode !== "browse" && mode !== "review";
  const sent = {};
  const set = (element, value) => {
    value = String(value);
    if (!writable || sent[element] === value) return false;
    sent[element] = value;
    call(v.set, element, value);
    return true;
  };

  // --- Progress <-> suspend_data: "1.DONE.QUIZZES.CARDS", bits six to a character -------------------
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const cardKeys = cfg.modules.flatMap((m) => m.cards.map((c) => `${m.slug}#${c}`));
  const pack = (bits) => {
    let out = "";
    for (let i = 0; i < bits.length; i += 6) {
      let n = 0;
      for (let j = 0; j < 6; j += 1) n = n * 2 + (bits[i + j] ? 1 : 0);
      out += ALPHABET[n];
    }
    return out;
  };
  const unpack = (text, count) => {
    const bits = [];
    for (const ch of text) {
      const n = Math.max(0, ALPHABET.indexOf(ch));
      for (let j = 5; j >= 0; j -= 1) bits.push((n >> j) & 1);
    }
    return Array.from({ length: count }, (_, i) => bits[i] || 0);
  };
  const state = { done: {}, cards: {}, quizzes: {}, last: "" }; // quizzes: index -> "right" | "wrong"
  const encode = () => {
    const done = cfg.modules.map((m) => state.done[m.slug] ? 1 : 0);
    const quizzes = cfg.quizzes.flatMap((_, i) => state.quizzes[i] === "right" ? [1, 0] : state.quizzes[i] ? [0, 1] : [0, 0]);
    const cards = cfg.keepCards ? cardKeys.map((k) => state.cards[k] ? 1 : 0) : [];
    return ["1", pack(done), pack(quizzes), pack(cards)].join(".");
  };
  const decode = (text) => {
    const [version, done = "", quizzes = "", cards = ""] = text.split(".");
    if (version !== "1") return;
    unpack(done, cfg.modules.length).forEach((bit, i) => { if (bit) state.done[cfg.modules[i].slug] = 1; });
    const q = unpack(quizzes, 2 * cfg.quizzes.length);
    cfg.quizzes.forEach((_, i) => { if (q[2 * i]) state.quizzes[i] = "right"; else if (q[2 * i + 1]) state.quizzes[i] = "wrong"; });
    unpack(cards, cfg.keepCards ? cardKeys.length : 0).forEach((bit, i) => { if (bit) state.cards[cardKeys[i]] = 1; });
  };

  // The theme keeps progress in localStorage: this learner's saved progress replaces whatever is there.
  const readLocal = () => { try { return JSON.parse(localStorage.getItem(cfg.progressKey) || "null"); } catch (e) { return null; } };
  const seedLocal = () => {
    const module = cfg.modules.find((m) => state.last.startsWith(m.url));
    const last = module ? { module: module.slug, title: module.title, url: new URL(state.last, root).pathname + new URL(state.last, root).hash, card: "" } : null;
    try { localStorage.setItem(cfg.progressKey, JSON.stringify({ cards: state.cards, done: state.done, last })); } catch (e) { /* storage off */ }
  };

  // --- What the LMS is told ---------------------------------------------------------------------
  const share = () => {
    const right = Object.values(state.quizzes).filter((r) => r === "right").length;
    return cfg.quizzes.length ? right / cfg.quizzes.length : 0;
  };
  const report = () => {
    const complete = cfg.modules.every((m) => state.done[m.slug]);
    let changed = false;
    const put = (element, value) => { changed = set(element, value) || changed; };
    if (cfg.quizzes.length && Object.keys(state.quizzes).length) {
      put(`${v.score}.min`, 0);
      put(`${v.score}.max`, 100);
      put(`${v.score}.raw`, Math.round(share() * 10000) / 100);
      if (v === V2004) put(`${v.score}.scaled`, Math.round(share() * 10000) / 10000);
    }
    if (v === V12) {
      put("cmi.core.lesson_status", complete ? "completed" : "incomplete");
    } else {
      put("cmi.completion_status", complete ? "completed" : "incomplete");
      put("cmi.progress_measure", Math.round(cfg.modules.filter((m) => state.done[m.slug]).length / cfg.modules.length * 10000) / 10000);
      const judged = complete || Object.keys(state.quizzes).length === cfg.quizzes.length;
      if (cfg.quizzes.length && judged) put("cmi.success_status", share() >= cfg.mastery ? "passed" : "failed");
    }
    let place = state.last;
    if (place.length > v.locationMax) place = place.split("#")[0];
    if (place && place.length <= v.locationMax) put(v.location, place);
    put(v.suspend, encode());
    if (changed || pending) call(v.commit, "");
    pending = false;
  };

  const sync = () => {
    const local = readLocal();
    if (local) {
      state.done = Object.assign({}, local.done || {});
      state.cards = Object.assign({}, local.cards || {});
    }
    let href = "";
    try { href = frame.contentWindow.location.href; } catch (e) { /* the frame left the package */ }
    if (local && local.last && local.last.url) href = new URL(local.last.url, location.href).href;
    if (href.startsWith(root)) state.last = href.slice(root.length);
    report();
  };

  // --- Each quiz answer as an interaction: id, type choice, the options chosen, right or not, when, and
  // (2004) the question. Options are named 0-9 then a-z (SCORM 1.2's choice format; short identifiers in
  // 2004), ids keep to letters, digits, '-' and '_' within 255 characters; answers are journaled from the
  // LMS's count on. The time is 1.2's time of day (CMITime) or 2004's UTC timestamp; the question is the
  // quiz's own text, without its hint, in the page's language, within 2004's 250 characters.
  const OPTION = "0123456789abcdefghijklmnopqrstuvwxyz";
  let interactions = Number(call(v.get, "cmi.interactions._count")) || 0;
  let pending = false;
  const record = (index, form, correct) => {
    const inputs = Array.from(form.querySelectorAll("input[data-correct]")).slice(0, OPTION.length);
    const names = (list) => list.map((input) => OPTION[inputs.indexOf(input)]).join(v === V2004 ? "[,]" : ",");
    const chosen = names(inputs.filter((input) => input.checked));
    const n = `cmi.interactions.${interactions}`;
    interactions += 1;
    const id = `q${index + 1}-${cfg.quizzes[index].replace(/[^A-Za-z0-9_-]+/g, "-")}`.slice(0, 255);
    set(`${n}.id`, id);
    set(`${n}.type`, "choice");
    set(`${n}.correct_responses.0.pattern`, names(inputs.filter((input) => input.dataset.correct === "true")));
    if (v === V12) set(`${n}.student_response`, chosen);
    else set(`${n}.learner_response`, chosen);
    set(`${n}.result`, correct ? "correct" : v === V12 ? "wrong" : "incorrect");
    const now = new Date();
    if (v === V12) set(`${n}.time`, now.toTimeString().slice(0, 8));
    else {
      set(`${n}.timestamp`, `${now.toISOString().slice(0, 22)}Z`); // a zone only after a fraction
      const legend = form.querySelector(".cg-quiz-question").cloneNode(true);
      legend.querySelectorAll(".cg-quiz-hint").forEach((hint) => hint.remove());
      const lang = form.ownerDocument.documentElement.lang || "en";
      set(`${n}.description`, `{lang=${lang}}${legend.textContent.replace(/\s+/g, " ").trim()}`.slice(0, 250));
    }
    pending = true;
  };

  const quizIndex = (doc, form) => {
    const module = doc.querySelector("[data-progress-module]");
    return module ? cfg.quizzes.indexOf(`${module.dataset.progressModule}#${form.id}`) : -1;
  };
  frame.addEventListener("load", () => {
    let doc = null;
    try { doc = frame.contentDocument; } catch (e) { doc = null; }
    if (doc) {
      doc.addEventListener("cg:quiz", (event) => {
        const index = quizIndex(doc, event.target);
        if (index >= 0 && !state.quizzes[index]) state.quizzes[index] = event.detail.correct ? "right" : "wrong";
        if (index >= 0 && writable) record(index, event.target, event.detail.correct);
        sync();
      });
      doc.addEventListener("click", () => setTimeout(sync));
    }
    sync();
  });
  window.addEventListener("storage", (event) => { if (event.key === cfg.progressKey) sync(); });

  // --- Launch -------------------------------------------------------------------------------------
  const started = Date.now();
  if (call(v.get, v.entry) === "resume") { // in 2004, reading these before is error 403
    decode(call(v.get, v.suspend));
    state.last = call(v.get, v.location);
  }
  seedLocal();
  frame.src = state.last && cfg.modules.some((m) => state.last.startsWith(m.url)) ? state.last : cfg.start;
  report();

  // --- Leave once ---------------------------------------------------------------------------------
  const time = (ms) => {
    const s = ms / 1000;
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    if (v === V2004) return `PT${h}H${m}M${(Math.floor(sec * 100) / 100).toFixed(2)}S`;
    const two = (n) => String(n).padStart(2, "0");
    return `${String(h).padStart(4, "0")}:${two(m)}:${two(Math.floor(sec))}.${two(Math.floor((sec % 1) * 100))}`;
  };
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    sync();
    set(v.time, time(Date.now() - started));
    set(v.exit, "suspend");
    call(v.commit, "");
    call(v.finish, "");
  };
  window.addEventListener("pagehide", finish);
  window.addEventListener("beforeunload", finish);
})();
