// Glossary terms: the first use of a term in a module shows its definition as a tooltip on hover, on
// keyboard focus (the CSS alone does both) and, here, on a first tap; Escape closes it (WCAG 1.4.13), and it is
// moved sideways to stay on screen. Without this file each term is a plain link to its glossary entry.
(() => {
  "use strict";
  const wraps = [...document.querySelectorAll(".cg-term-wrap")];
  if (!wraps.length) return;
  let pointer = "mouse";
  const margin = 8;

  function place(wrap) {
    const tip = wrap.querySelector(".cg-term-tip");
    tip.style.removeProperty("--cg-tip-shift");
    requestAnimationFrame(() => {
      const box = tip.getBoundingClientRect();
      if (!box.width) return;
      const room = document.documentElement.clientWidth - margin;
      const shift = box.right > room ? room - box.right : box.left < margin ? margin - box.left : 0;
      if (shift) tip.style.setProperty("--cg-tip-shift", `${Math.round(shift)}px`);
    });
  }
  function show(wrap) {
    wrap.classList.remove("cg-dismissed");
    place(wrap);
  }
  function closeAll(except) {
    for (const wrap of wraps) if (wrap !== except) wrap.classList.remove("cg-open");
  }

  for (const wrap of wraps) {
    const link = wrap.querySelector(".cg-term");
    wrap.addEventListener("mouseenter", () => show(wrap));
    wrap.addEventListener("focusin", () => show(wrap));
    wrap.addEventListener("focusout", () => wrap.classList.remove("cg-open"));
    link.addEventListener("click", (event) => {
      if (pointer === "mouse" || wrap.classList.contains("cg-open")) return; // a second tap follows the link
      event.preventDefault();
      closeAll(wrap);
      wrap.classList.add("cg-open");
      show(wrap);
    });
  }
  document.addEventListener("pointerdown", (event) => {
    pointer = event.pointerType || "mouse";
    if (!event.target.closest(".cg-term-wrap") || event.target.closest(".cg-term-tip")) closeAll(null); // a tap on it closes it
  }, true);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const wrap of wraps) {
      if (wrap.classList.contains("cg-open") || wrap.matches(":hover, :focus-within")) {
        wrap.classList.remove("cg-open");
        wrap.classList.add("cg-dismissed");
      }
    }
  });
})();
