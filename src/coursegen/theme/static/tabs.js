// Tabs: each [data-tabs] set (every panel shown under its label without JavaScript) becomes ARIA tabs:
// click or arrow keys, Home and End. Sets with the same labels stay in step on the page and on the next
// pages: the labels picked last are remembered in localStorage ("pick your OS once").
(() => {
  const KEY = "cg-tabs";
  let picked = [];
  try { picked = JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { picked = []; }
  if (!Array.isArray(picked)) picked = [];
  const sets = [];

  function show(set, index) {
    set.tabs.forEach((tab, i) => {
      const on = i === index;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
      set.panels[i].hidden = !on;
    });
  }

  function apply(set) {
    const labels = set.panels.map((panel) => panel.dataset.tab);
    const label = picked.find((l) => labels.includes(l));
    show(set, label === undefined ? 0 : labels.indexOf(label));
  }

  function pick(label, tab) {
    const before = tab.getBoundingClientRect().top;
    picked = [label, ...picked.filter((l) => l !== label)].slice(0, 20);
    try { localStorage.setItem(KEY, JSON.stringify(picked)); } catch (e) { /* private mode: this page only */ }
    for (const set of sets) apply(set);
    window.scrollBy(0, tab.getBoundingClientRect().top - before); // sets above may change height: keep the tab still
  }

  function onKey(event, set, index) {
    const last = set.tabs.length - 1;
    const to = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1,
                 Home: 0, End: last }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    set.tabs[to].focus();
    pick(set.panels[to].dataset.tab, set.tabs[to]);
  }

  document.querySelectorAll("[data-tabs]").forEach((element, n) => {
    const panels = [...element.children].filter((child) => child.classList.contains("cg-tab"));
    const list = document.createElement("div");
    list.className = "cg-tablist";
    list.setAttribute("role", "tablist");
    const set = { panels, tabs: [] };
    panels.forEach((panel, i) => {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.className = "cg-tab-button";
      tab.id = `cg-tabs-${n}-${i}`;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", `${tab.id}-panel`);
      tab.textContent = panel.dataset.tab;
      tab.addEventListener("click", () => pick(panel.dataset.tab, tab));
      tab.addEventListener("keydown", (event) => onKey(event, set, i));
      panel.id = `${tab.id}-panel`;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.tabIndex = 0;
      const label = panel.querySelector(":scope > .cg-tab-label");
      if (label) label.hidden = true;
      list.append(tab);
      set.tabs.push(tab);
    });
    element.prepend(list);
    element.classList.add("cg-tabs-on");
    sets.push(set);
    apply(set);
  });
})();
