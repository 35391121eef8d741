// An example widget: static/widgets/NAME.js exports mount(element, options).
export default function mount(element, options) {
  let count = Number(options.start ?? 0);
  const label = String(options.label ?? "Count");
  element.replaceChildren();
  const output = document.createElement("p");
  output.setAttribute("aria-live", "polite");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "cg-button";
  button.textContent = "Add a commit";
  const show = () => { output.textContent = `${label}: ${count}`; };
  button.addEventListener("click", () => { count += 1; show(); });
  show();
  element.append(output, button);
}
