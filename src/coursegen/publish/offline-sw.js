// coursegen's service worker (publish/offline.py writes it as SITE/sw.js after a line that sets self.CG:
// the base path, this build's id and each course's manifest URL and version).
//
// - Every page and file the learner reads is fetched from the network first (so an online learner always
//   sees the newest build) and kept in this build's read cache, cg-read-BUILD, used when the network fails.
// - A saved course ("Make available offline") lives in a cache of its own version, cg-course-SLUG-VERSION,
//   filled from its manifest, each file checked against the manifest's hash; the record that points at it
//   (cache cg-offline) is written only once every file is in, then the previous version's cache goes. So
//   a course is served from one build or the other, never a mix.
// - A new build: the unchanged files of a saved course are copied from its previous cache, only the
//   changed ones downloaded.
(() => {
  "use strict";
  const CG = self.CG;
  const READ = `cg-read-${CG.build}`;
  const SAVED = "cg-offline";
  const scope = self.registration.scope;
  const recordKey = (slug) => new URL(`__offline__/${slug}`, scope).href;
  let saved = null; // the saved courses' records, read once per worker start
  let syncing = null;

  async function records() {
    if (!saved) {
      const cache = await caches.open(SAVED);
      saved = await Promise.all((await cache.keys()).map(async (key) => (await cache.match(key)).json()));
    }
    return saved;
  }

  function pageKey(url) {
    const clean = new URL(url);
    clean.search = "";
    clean.hash = "";
    if (clean.pathname.endsWith("/index.html")) clean.pathname = clean.pathname.slice(0, -"index.html".length);
    return clean.href;
  }

  async function fromCaches(request) {
    const key = pageKey(request.url);
    const path = new URL(key).pathname;
    for (const record of await records()) {
      if (record.files[path]) {
        const hit = await (await caches.open(record.cache)).match(key);
        if (hit) return hit;
      }
    }
    return (await caches.open(READ)).match(key);
  }

  async function networkFirst(event) {
    const request = event.request;
    let response;
    try {
      response = await fetch(request);
    } catch (error) {
      const kept = await fromCaches(request);
      if (kept) return kept;
      throw error;
    }
    if (response.ok && response.type === "basic" && !response.redirected && response.status === 200) {
      const copy = response.clone();
      event.waitUntil(caches.open(READ).then((cache) => cache.put(pageKey(request.url), copy)).catch(() => {}));
      return response;
    }
    return (!response.ok && (await fromCaches(request))) || response;
  }

  self.addEventListener("install", () => self.skipWaiting());
  self.addEventListener("activate", (event) => event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("cg-read-") && name !== READ) await caches.delete(name);
    }
    await self.clients.claim();
  })()));

  self.addEventListener("fetch", (event) => {
    const request = event.request;
    if (request.method !== "GET" || !request.url.startsWith(scope) || request.headers.has("range")) return;
    if (new URL(request.url).pathname === new URL(`${CG.scope}sw.js`, scope).pathname) return;
    event.respondWith(networkFirst(event));
  });

  // --- Saving a course ------------------------------------------------------------------
  async function digest(body) {
    const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function download(url, hash) {
    for (const mode of ["no-cache", "reload"]) { // the second time past any HTTP cache
      const response = await fetch(url, { cache: mode, credentials: "same-origin" });
      if (!response.ok) throw new Error(`${response.status} ${url}`);
      const body = await response.arrayBuffer();
      if ((await digest(body)).startsWith(hash)) {
        return new Response(body, { status: 200, headers: response.headers });
      }
    }
    throw new Error(`changed ${url}`); // a deploy under way: try again later
  }

  async function save(slug, tell) {
    const course = CG.courses[slug];
    if (!course) throw new Error(`unknown course ${slug}`);
    const manifest = await (await fetch(course.manifest, { cache: "no-store" })).json();
    const before = (await records()).find((r) => r.course === slug);
    if (before && before.version === manifest.version) return before;
    const name = `cg-course-${slug}-${manifest.version}`;
    const cache = await caches.open(name);
    const previous = before ? await caches.open(before.cache) : null;
    const entries = Object.entries(manifest.files);
    let done = 0;
    let bytes = 0;
    const one = async ([path, [hash, size]]) => {
      const url = new URL(path, scope).href;
      if (!(await cache.match(url))) {
        const old = previous && before.files[path] && before.files[path][0] === hash && (await previous.match(url));
        await cache.put(url, old || (await download(url, hash)));
      }
      done += 1;
      bytes += size;
      tell({ type: "progress", course: slug, done, total: entries.length, bytes, size: manifest.bytes });
    };
    const queue = entries.slice();
    await Promise.all([1, 2, 3, 4].map(async () => { while (queue.length) await one(queue.shift()); }));
    const record = { ...manifest, cache: name };
    await (await caches.open(SAVED)).put(recordKey(slug), new Response(JSON.stringify(record)));
    saved = null;
    if (before && before.cache !== name) await caches.delete(before.cache);
    return record;
  }

  async function remove(slug) {
    const record = (await records()).find((r) => r.course === slug);
    await (await caches.open(SAVED)).delete(recordKey(slug));
    saved = null;
    if (record) {
      await caches.delete(record.cache);
      const read = await caches.open(READ);
      await Promise.all(Object.keys(record.files).map((path) => read.delete(new URL(path, scope).href)));
    }
  }

  // Saved courses that this build changed: brought up to date (once at a time).
  function sync() {
    syncing = syncing || (async () => {
      for (const record of await records()) {
        const now = CG.courses[record.course];
        if (now && now.version !== record.version) await save(record.course, () => {});
      }
    })().finally(() => { syncing = null; });
    return syncing;
  }

  self.addEventListener("message", (event) => {
    const data = event.data || {};
    const tell = (message) => event.source && event.source.postMessage(message);
    const work = data.type === "save" ? save(data.course, tell).then(() => tell({ type: "saved", course: data.course }))
      : data.type === "remove" ? remove(data.course).then(() => tell({ type: "removed", course: data.course }))
        : data.type === "sync" ? sync() : null;
    if (work) {
      event.waitUntil(work.catch((error) => tell({ type: "failed", course: data.course, reason: String(error) })));
    }
  });
})();
