// Code blocks: a copy button on each one. It copies the code alone (the line numbers are empty spans) and
// says "Copied" in a live region, so a screen reader announces it too. Its words come from the page's catalog.
(() => {
  let messages = {};
  try { messages = JSON.parse(document.getElementById("cg-messages").textContent); } catch (e) { messages = {}; }
  const status = document.createElement("p");
  status.className = "cg-visually-hidden";
  status.setAttribute("role", "status");
  document.body.append(status);

  function say(button, id) {
    button.textContent = messages[id];
    status.textContent = "";
    setTimeout(() => { status.textContent = messages[id]; }, 50); // a change, also when copying twice
    clearTimeout(button.cgTimer);
    button.cgTimer = setTimeout(() => { button.textContent = messages["code.copy"]; }, 2000);
  }

  document.querySelectorAll(".cg-code").forEach((block) => {
    const code = block.querySelector("pre code");
    if (!code || !navigator.clipboard) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cg-copy";
    button.textContent = messages["code.copy"];
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(code.textContent).then(() => say(button, "code.copied"),
                                                           () => say(button, "code.failed"));
    });
    block.append(button);
  });
})();
