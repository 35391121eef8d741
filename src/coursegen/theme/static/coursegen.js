// coursegen theme behaviour: theme toggle, quizzes, progress, search, keyboard navigation, the
// module's table of cards. Content never depends on this file; every control it shows is hidden
// in the HTML and only revealed here, so a page without JavaScript shows no dead buttons.
(() => {
  "use strict";
  const root = document.documentElement;
  const base = document.body.dataset.base || "/";
  const $ = (selector, scope = document) => scope.querySelector(selector);
  const $$ = (selector, scope = document) => [...scope.querySelectorAll(selector)];

  // --- Text: every word this script shows comes from the page's catalog (partials/messages.html) -----
  const messages = (() => {
    try { return JSON.parse(document.getElementById("cg-messages").textContent); } catch (e) { return {}; }
  })();
  const lang = root.lang || "en";
  const rtl = root.dir === "rtl";
  const numbers = new Intl.NumberFormat(lang, { numberingSystem: messages.numbers || "latn" }); // the digits the page uses
  const plurals = new Intl.PluralRules(lang);
  const format = (text, values = {}) => String(text || "").replace(/%\((\w+)\)s/g, (whole, name) => {
    const value = values[name];
    return value === undefined ? whole : typeof value === "number" ? numbers.format(value) : String(value);
  });
  const t = (id, values) => format(messages[id], values);
  const tn = (id, num, values = {}) => {
    const forms = messages[id] || {};
    return format(forms[plurals.select(num)] || forms.other, { ...values, num });
  };

  function store(key, value) {
    try {
      if (value === undefined) return JSON.parse(localStorage.getItem(key) || "null");
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* storage may be off or full: progress is a nicety */ }
    return null;
  }

  // --- Light and dark ---------------------------------------------------------------
  function setupThemeToggle() {
    const button = $("[data-theme-toggle]");
    if (!button) return;
    const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
    const current = () => root.dataset.theme || (systemDark.matches ? "dark" : "light");
    const show = () => button.setAttribute("aria-pressed", String(current() === "dark"));
    button.hidden = false;
    show();
    button.addEventListener("click", () => {
      const next = current() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem("cg-theme", next); } catch (e) { /* storage may be off */ }
      show();
    });
    systemDark.addEventListener("change", show);
  }

  // --- Quizzes ----------------------------------------------------------------------
  function setupQuiz(form) {
    const actions = $(".cg-quiz-actions", form);
    const result = $(".cg-quiz-result", form);
    const options = $$(".cg-quiz-option", form);
    if (actions) actions.hidden = false;
    const clear = () => {
      for (const option of options) {
        option.classList.remove("is-right", "is-wrong");
        $(".cg-quiz-option-feedback", option).hidden = true;
      }
      result.textContent = "";
      result.className = "cg-quiz-result";
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clear();
      const chosen = options.filter((o) => $("input", o).checked);
      if (!chosen.length) { result.textContent = t("quiz.choose"); return; }
      let allRight = true;
      for (const option of options) {
        const input = $("input", option);
        const correct = input.dataset.correct === "true";
        if (input.checked !== correct) allRight = false;
        if (input.checked) {
          option.classList.add(correct ? "is-right" : "is-wrong");
          $(".cg-quiz-option-feedback", option).hidden = false;
        }
      }
      result.classList.add(allRight ? "is-right" : "is-wrong");
      const feedback = chosen.map((o) => $(".cg-quiz-option-feedback", o).textContent.trim()).filter(Boolean).join(" ");
      const missed = !allRight && form.dataset.multiple === "true" && chosen.every((o) => $("input", o).dataset.correct === "true");
      const verdict = t(allRight ? "quiz.right" : missed ? "quiz.partly" : "quiz.wrong");
      result.textContent = feedback ? `${verdict} ${feedback}` : verdict;
      form.dispatchEvent(new CustomEvent("cg:quiz", { bubbles: true, detail: { correct: allRight } }));
    });
    form.addEventListener("reset", () => {
      setTimeout(() => { clear(); const first = $("input", form); if (first) first.focus(); });
    });
  }

  // --- Progress (localStorage only) -----------------------------------------------------
  const progressKey = (course) => `cg-progress:${base}${course}`;
  const loadProgress = (course) => Object.assign({ cards: {}, done: {}, last: null }, store(progressKey(course)) || {});
  // A renamed module's progress, saved under an old slug (its front matter 'aliases'), moves to its slug:
  // `moves` is the page's data-moves, "old:new old2:new2".
  function moveProgress(course, moves) {
    if (!moves) return;
    const p = loadProgress(course);
    let moved = false;
    for (const [from, to] of moves.split(" ").map((move) => move.split(":"))) {
      for (const key of Object.keys(p.cards).filter((k) => k.startsWith(`${from}#`))) {
        p.cards[to + key.slice(from.length)] = 1;
        delete p.cards[key];
        moved = true;
      }
      if (p.done[from]) { p.done[to] = 1; delete p.done[from]; moved = true; }
      if (p.last && p.last.module === from) {
        const old = `${base}${course}/${from}/`;
        p.last = { ...p.last, module: to, url: p.last.url.startsWith(old) ? `${base}${course}/${to}/${p.last.url.slice(old.length)}` : p.last.url };
        moved = true;
      }
    }
    if (moved) store(progressKey(course), p);
  }

  function setupModuleProgress() {
    const article = $("[data-progress-module]");
    if (!article) return;
    const course = article.dataset.progressCourse;
    const module = article.dataset.progressModule;
    moveProgress(course, article.dataset.moves);
    const title = $("h1", article).textContent.trim();
    const save = (change) => { const p = loadProgress(course); change(p); store(progressKey(course), p); };
    const toggle = (button, isOn, set) => {
      button.setAttribute("aria-pressed", String(isOn));
      button.addEventListener("click", () => {
        const on = button.getAttribute("aria-pressed") !== "true";
        button.setAttribute("aria-pressed", String(on));
        save((p) => set(p, on));
        markToc();
      });
    };
    const progress = loadProgress(course);
    for (const button of $$("[data-understood]")) {
      const key = `${module}#${button.dataset.understood}`;
      button.parentElement.hidden = false;
      toggle(button, Boolean(progress.cards[key]), (p, on) => { if (on) p.cards[key] = 1; else delete p.cards[key]; });
    }
    const done = $("[data-module-done]");
    if (done) {
      done.parentElement.hidden = false;
      toggle(done, Boolean(progress.done[module]), (p, on) => { if (on) p.done[module] = 1; else delete p.done[module]; });
    }
    const markToc = () => {
      const p = loadProgress(course);
      for (const link of $$("[data-toc-card]")) link.classList.toggle("is-understood", Boolean(p.cards[`${module}#${link.dataset.tocCard}`]));
      for (const link of $$("[data-nav-module]")) $(".cg-nav-done", link).hidden = !p.done[link.dataset.navModule];
    };
    markToc();
    const remember = (card) => save((p) => {
      p.last = { module, title, url: location.pathname + (card ? `#${card.id}` : ""), card: card ? $("h2", card).textContent.trim() : "" };
    });
    remember(null);
    return remember;
  }

  function setupCourseProgress() {
    const panel = $("[data-course-progress]");
    if (!panel) return;
    const course = panel.dataset.courseProgress;
    moveProgress(course, panel.dataset.moves);
    const modules = panel.dataset.modules.split(" ");
    const status = $("[data-progress-status]", panel);
    const render = () => {
      const p = loadProgress(course);
      const doneCount = modules.filter((m) => p.done[m]).length;
      const started = doneCount || Object.keys(p.cards).length || p.last;
      panel.hidden = !started;
      root.classList.toggle("cg-returning", Boolean(p.last)); // as partials/head.html guessed before the first paint
      $(".cg-course-progress-summary", panel).textContent = tn("progress.course", modules.length, { done: doneCount });
      const cont = $(".cg-continue", panel);
      cont.hidden = !p.last;
      const start = $("[data-start-link]");
      if (start) start.classList.toggle("cg-button-primary", !p.last); // the way back in is the main action now
      if (p.last) {
        const link = $("a", cont);
        link.href = p.last.url;
        link.textContent = p.last.card ? `${p.last.title}: ${p.last.card}` : p.last.title;
      }
      for (const box of $$("[data-module-progress]")) renderModuleProgress(box, p, Boolean(started));
    };
    $("[data-progress-reset]", panel).addEventListener("click", () => {
      store(progressKey(course), null);
      render();
      status.textContent = t("progress.reset");
      const start = $("[data-start-link]");
      if (start) start.focus();
    });
    render();
  }

  function setupHomeProgress() {
    for (const line of $$("[data-home-progress]")) {
      moveProgress(line.dataset.homeProgress, line.dataset.moves);
      const p = loadProgress(line.dataset.homeProgress);
      const modules = line.dataset.modules ? line.dataset.modules.split(" ") : [];
      const done = modules.filter((m) => p.done[m]).length;
      if (!done && !p.last) continue;
      line.textContent = tn("progress.home", modules.length, { done });
      if (p.last) {
        const link = document.createElement("a");
        link.href = p.last.url;
        link.textContent = t("progress.continue");
        line.append(" · ", link);
      }
      line.hidden = false;
    }
  }

  // Once the course is started every module shows its line, zeros included: the page reserved them all
  // before the first paint (coursegen.css, `cg-returning`), so none appears under the reader's eyes.
  function renderModuleProgress(box, progress, started) {
    const module = box.dataset.moduleProgress;
    const cards = box.dataset.cards ? box.dataset.cards.split(" ") : [];
    const understood = cards.filter((c) => progress.cards[`${module}#${c}`]).length;
    const done = Boolean(progress.done[module]);
    box.hidden = !started;
    box.replaceChildren();
    if (box.hidden) return;
    const text = document.createElement("span");
    const count = tn("progress.cards", cards.length, { understood });
    text.textContent = done ? `${t("progress.done")} · ${count}` : count;
    if (cards.length) {
      const bar = document.createElement("progress");
      bar.max = cards.length;
      bar.value = understood;
      bar.setAttribute("aria-label", t("progress.bar", { module }));
      box.append(bar);
    }
    box.classList.toggle("is-done", done);
    box.append(text);
  }

  // --- The module's table of cards: highlight the card being read ---------------------------------
  function setupToc(remember) {
    const links = $$("[data-toc-card]");
    if (!links.length) return;
    const cards = links.map((link) => document.getElementById(link.dataset.tocCard)).filter(Boolean);
    let current = null;
    let queued = false;
    const update = () => {
      queued = false;
      const line = Math.min(160, window.innerHeight / 3);
      let found = null;
      for (const card of cards) if (card.getBoundingClientRect().top <= line) found = card;
      if (found === current) return;
      current = found;
      for (const link of links) {
        if (found && link.dataset.tocCard === found.id) link.setAttribute("aria-current", "location");
        else link.removeAttribute("aria-current");
      }
      if (remember && found) remember(found);
    };
    const queue = () => { if (!queued) { queued = true; requestAnimationFrame(update); } };
    window.addEventListener("scroll", queue, { passive: true });
    window.addEventListener("resize", queue);
    update();
  }

  // --- Search (Pagefind, loaded on first use) --------------------------------------------
  function setupSearch() {
    const box = $("[data-search]");
    if (!box) return;
    const input = $("input", box);
    const panel = $(".cg-search-panel", box);
    const list = $(".cg-search-results", box);
    const status = $(".cg-search-status", box);
    const summary = $(".cg-search-summary", box);
    let pagefind = null;
    let generation = 0;
    box.hidden = false;
    // A large site's index comes in parts, listed in the bundle's parts.json: merged into one search.
    // Pagefind searches the index of the page's language (<html lang>); parts.json says which languages
    // each part holds, so only the parts with this page's language are merged (else all, as Pagefind would).
    const load = async () => {
      if (!pagefind) {
        const bundle = new URL(box.dataset.bundle, location.href);
        const options = { baseUrl: base, excerptLength: 18 };
        pagefind = import(bundle.href).then(async (module) => {
          const listed = await fetch(new URL("parts.json", bundle)).then((r) => (r.ok ? r.json() : {}));
          const folders = ["", ...(listed.parts || [])];
          const speaking = folders.filter((folder) => speaks(listed.languages, folder));
          const [first, ...others] = speaking.length ? speaking : folders;
          await module.options(first ? { ...options, basePath: new URL(first, bundle).pathname } : options);
          await Promise.all(others.map((part) => module.mergeIndex(new URL(part, bundle).pathname, options)));
          return module;
        });
      }
      return pagefind;
    };
    const close = () => { panel.hidden = true; };
    const say = (text) => { status.textContent = text; summary.textContent = text; };
    const run = async () => {
      const query = input.value.trim();
      const mine = ++generation;
      if (!query) { close(); list.replaceChildren(); status.textContent = ""; return; }
      let found;
      try {
        const engine = await load();
        const search = await engine.search(query);
        // offline, the results of pages not saved fail to load: left out
        const loaded = await Promise.allSettled(search.results.slice(0, 8).map((r) => r.data()));
        found = loaded.filter((r) => r.status === "fulfilled").map((r) => r.value);
      } catch (error) {
        if (mine === generation) { panel.hidden = false; say(t("search.unavailable")); }
        return;
      }
      if (mine !== generation) return;
      list.replaceChildren(...found.flatMap(resultItems).slice(0, 10));
      panel.hidden = false;
      say(found.length ? tn("search.results", list.children.length, { query }) : t("search.none", { query }));
    };
    let timer = 0;
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
    input.addEventListener("focus", () => { load().catch(() => {}); if (input.value.trim() && list.children.length) panel.hidden = false; });
    box.addEventListener("keydown", (event) => {
      const links = $$("a", list);
      const index = links.indexOf(document.activeElement);
      if (event.key === "Escape") { close(); input.focus(); }
      else if (event.key === "Enter" && event.target === input && links.length && !panel.hidden) { event.preventDefault(); links[0].click(); }
      else if (event.key === "ArrowDown" && links.length) { event.preventDefault(); links[Math.min(index + 1, links.length - 1)].focus(); panel.hidden = false; }
      else if (event.key === "ArrowUp" && index >= 0) { event.preventDefault(); (index === 0 ? input : links[index - 1]).focus(); }
    });
    document.addEventListener("click", (event) => { if (!box.contains(event.target)) close(); });
    box.addEventListener("focusout", (event) => { if (!box.contains(event.relatedTarget)) close(); });
  }

  // Whether a part of the index (a folder of parts.json, "" for the bundle itself) holds pages in the page's
  // language, or its region's language ("pt" for "pt-br"), as Pagefind matches them.
  function speaks(languages, folder) {
    const known = languages && languages[folder];
    if (!known) return true;
    const lang = (root.lang || "").toLowerCase();
    return known.includes(lang) || known.includes(lang.split("-")[0]);
  }

  // One entry for the page, plus one per matching card (a Pagefind sub-result on the card's heading).
  function resultItems(data) {
    const course = data.meta.course && data.meta.course !== data.meta.title ? data.meta.course : "";
    const subs = (data.sub_results || []).filter((s) => s.anchor && s.anchor.element === "h2" && /-title$/.test(s.anchor.id));
    const entries = subs.length ? subs.slice(0, 3).map((s) => ({
      url: s.url.replace(/-title$/, ""), title: s.title, context: [course, data.meta.title].filter(Boolean).join(" › "), excerpt: s.excerpt,
    })) : [{ url: data.url, title: data.meta.title, context: course, excerpt: data.excerpt }];
    return entries.map((entry) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = entry.url;
      link.className = "cg-search-result";
      const title = document.createElement("span");
      title.className = "cg-search-result-title";
      title.textContent = entry.title;
      link.append(title);
      if (entry.context) {
        const context = document.createElement("span");
        context.className = "cg-search-result-context";
        context.textContent = entry.context;
        link.append(context);
      }
      const excerpt = document.createElement("span");
      excerpt.className = "cg-search-result-excerpt";
      excerpt.innerHTML = entry.excerpt; // Pagefind escapes the page text and adds only <mark>
      link.append(excerpt);
      item.append(link);
      return item;
    });
  }

  // --- Keyboard: ← / → for the previous / next module, / for search -----------------------
  function isTyping(target) {
    if (!(target instanceof Element)) return false;
    const scrolls = target !== document.body && target !== root && target.scrollWidth > target.clientWidth;
    return scrolls || target.closest("input, textarea, select, [contenteditable], .cg-widget") !== null;
  }

  function setupKeys() {
    const prev = $("[data-key-nav=prev]");
    const next = $("[data-key-nav=next]");
    const hint = $(".cg-key-hint");
    if (hint) hint.hidden = false;
    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || isTyping(event.target)) return;
      if (event.key === "/") {
        const search = $("[data-search] input");
        if (search) { event.preventDefault(); search.focus(); search.select(); }
      } else if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && !event.shiftKey) {
        const back = (event.key === "ArrowLeft") !== rtl; // right to left, the previous module is to the right
        const target = back ? prev : next;
        if (target) location.href = target.href;
      }
    });
  }

  // --- Printing: every disclosure open and every picture loaded, on any page ---------------------
  function setupPrint() {
    window.addEventListener("beforeprint", () => {
      for (const details of $$("details")) details.open = true;
      for (const img of $$("img[loading=lazy]")) img.loading = "eager";
    });
    const button = $("[data-print]");
    if (!button) return;
    button.parentElement.hidden = false;
    button.addEventListener("click", () => window.print());
  }

  // --- Wide code and tables scroll sideways on small screens: let the keyboard reach them ------------
  function setupScrollers() {
    const scrollers = $$(".cg-prose pre, .cg-prose > table, .cg-callout > table");
    if (!scrollers.length) return;
    const update = () => {
      for (const el of scrollers) {
        if (el.scrollWidth > el.clientWidth + 1) el.setAttribute("tabindex", "0");
        else el.removeAttribute("tabindex");
      }
    };
    update();
    window.addEventListener("resize", update);
  }

  // --- Offline: the built site's service worker (publish/offline.py); a page without data-sw (the preview of
  // `coursegen serve`) removes a worker left from a built site once served at this address, and its caches --
  function setupWorker() {
    const sw = navigator.serviceWorker;
    if (!sw || !window.isSecureContext) return;
    const worker = document.body.dataset.sw;
    if (worker) {
      // a new build's worker brings the saved courses up to date: asked once it runs
      const sync = () => sw.ready.then((r) => r.active.postMessage({ type: "sync" }));
      sw.register(worker, { scope: base }).then(sync).catch(() => { /* offline reading is a nicety */ });
      sw.addEventListener("controllerchange", () => sync().catch(() => {}));
    } else {
      const clear = async () => {
        for (const name of await caches.keys()) if (name.startsWith("cg-")) await caches.delete(name);
      };
      sw.getRegistrations().then(async (all) => {
        if (!all.length) return;
        await Promise.all(all.map((r) => r.unregister()));
        await clear();
        // the old worker still serves this page until it is left, and may store what it fetched meanwhile
        const again = () => setTimeout(() => clear().catch(() => {}), 500);
        if (document.readyState === "complete") again(); else window.addEventListener("load", again);
      }).catch(() => {});
    }
  }

  function init() {
    setupWorker();
    setupThemeToggle();
    $$("form.cg-quiz").forEach(setupQuiz);
    setupToc(setupModuleProgress());
    setupCourseProgress();
    setupHomeProgress();
    setupSearch();
    setupKeys();
    setupPrint();
    setupScrollers();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
