// "Make available offline" on a course page (partials/offline.html): shows the download size, asks the
// site's service worker (sw.js) to save the course, shows its progress, then the "available offline" mark
// and a way to remove it. Only on course pages of a site built to be served over HTTP; words from the page.
(() => {
  "use strict";
  const box = document.querySelector("[data-offline]");
  const sw = navigator.serviceWorker;
  if (!box || !sw || !window.isSecureContext || !window.caches) return;
  const messages = (() => {
    try { return JSON.parse(document.getElementById("cg-messages").textContent); } catch (e) { return {}; }
  })();
  const lang = document.documentElement.lang || "en";
  const digits = { numberingSystem: messages.numbers || "latn" };
  const t = (id, values = {}) => String(messages[id] || "").replace(/%\((\w+)\)s/g, (w, k) => values[k] ?? w);
  const megabytes = (bytes) => new Intl.NumberFormat(lang, { ...digits, style: "unit", unit: "megabyte",
    maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(Math.max(bytes / 1e6, 0.1));
  const percent = (part) => new Intl.NumberFormat(lang, { ...digits, style: "percent" }).format(part);
  const pick = (name) => box.querySelector(`[data-offline-${name}]`);
  const [save, size, bar, mark, remove, status] = ["save", "size", "bar", "mark", "remove", "status"].map(pick);
  const course = box.dataset.offline;
  let spoken = -1;

  function show(state) { // "ready", "busy" or "saved"
    save.hidden = state === "saved";
    save.disabled = state === "busy";
    bar.hidden = state !== "busy";
    mark.hidden = remove.hidden = state !== "saved";
  }

  async function record() {
    const cache = await caches.open("cg-offline");
    const hit = await cache.match(new URL(`__offline__/${course}`, new URL(document.body.dataset.base, location.href)));
    return hit ? hit.json() : null;
  }

  async function ask(type) {
    const registration = await sw.ready;
    registration.active.postMessage({ type, course });
  }

  sw.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.course !== course) return;
    if (data.type === "progress") {
      bar.max = data.size;
      bar.value = data.bytes;
      const quarter = Math.floor((4 * data.bytes) / data.size);
      if (quarter !== spoken && quarter < 4) {
        spoken = quarter;
        status.textContent = t("offline.progress", { percent: percent(data.bytes / data.size) });
      }
    } else if (data.type === "saved") {
      show("saved");
      status.textContent = t("offline.saved");
      remove.focus();
    } else if (data.type === "removed") {
      show("ready");
      status.textContent = t("offline.removed");
      save.focus();
    } else if (data.type === "failed") {
      show("ready");
      status.textContent = t("offline.failed");
    }
  });
  sw.startMessages();

  save.addEventListener("click", () => {
    show("busy");
    spoken = -1;
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    ask("save").catch(() => { show("ready"); status.textContent = t("offline.failed"); });
  });
  remove.addEventListener("click", () => ask("remove"));

  (async () => {
    const saved = await record();
    show(saved ? "saved" : "ready");
    box.hidden = false;
    const manifest = await fetch(box.dataset.manifest).then((r) => (r.ok ? r.json() : null));
    if (manifest) size.textContent = t("offline.size", { size: megabytes(manifest.bytes) });
  })().catch(() => {});
})();
