// The two pages' small DOM helpers.
export const $ = (id) => document.getElementById(id);

// Shows a sentence, or hides the element when there is none.
export function say(el, text) {
  el.textContent = text;
  el.hidden = !text;
}
