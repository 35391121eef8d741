// coursegen theme behaviour: theme toggle and quizzes. Content never depends on this file.
(() => {
  "use strict";
  const root = document.documentElement;

  function setupThemeToggle() {
    const button = document.querySelector("[data-theme-toggle]");
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

  function setupQuiz(form) {
    const actions = form.querySelector(".cg-quiz-actions");
    const result = form.querySelector(".cg-quiz-result");
    const options = [...form.querySelectorAll(".cg-quiz-option")];
    if (actions) actions.hidden = false;
    const clear = () => {
      for (const option of options) {
        option.classList.remove("is-right", "is-wrong");
        option.querySelector(".cg-quiz-option-feedback").hidden = true;
      }
      result.textContent = "";
      result.className = "cg-quiz-result";
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      clear();
      const chosen = options.filter((o) => o.querySelector("input").checked);
      if (!chosen.length) { result.textContent = "Choose an answer first."; return; }
      let allRight = true;
      for (const option of options) {
        const input = option.querySelector("input");
        const correct = input.dataset.correct === "true";
        if (input.checked !== correct) allRight = false;
        if (input.checked) {
          option.classList.add(correct ? "is-right" : "is-wrong");
          option.querySelector(".cg-quiz-option-feedback").hidden = false;
        }
      }
      result.classList.add(allRight ? "is-right" : "is-wrong");
      const feedback = chosen.map((o) => o.querySelector(".cg-quiz-option-feedback").textContent.trim()).filter(Boolean).join(" ");
      result.textContent = (allRight ? "Correct! " : "Not quite. ") + feedback;
      form.dispatchEvent(new CustomEvent("cg:quiz", { bubbles: true, detail: { correct: allRight } }));
    });
    form.addEventListener("reset", () => setTimeout(clear));
  }

  function init() {
    setupThemeToggle();
    document.querySelectorAll("form.cg-quiz").forEach(setupQuiz);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
