/**
 * The element with an id, checked against its expected type.
 * @param id - element id
 * @param type - expected constructor, e.g. HTMLCanvasElement
 * @returns the element
 * @throws Error when it is missing or of another type (the page markup and code disagree)
 */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`index.html has no <${type.name}> with id "${id}"; the markup and main.ts disagree`);
  return el;
}

/**
 * Show a status line, optionally as an error.
 * @param el - the status element
 * @param text - what to show
 * @param error - style as an error
 */
export function setStatus(el: HTMLElement, text: string, error = false): void {
  el.textContent = text;
  el.classList.toggle('error', error);
}
