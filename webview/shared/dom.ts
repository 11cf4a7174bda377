// A tiny DOM builder: text always goes through textContent, never innerHTML (plans carry
// user data: query text, identifiers, string literals in filters).
type Child = Node | string | number | false | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | undefined> | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined) continue;
      // The panels' CSP refuses style attributes (style-src-attr); styles set through CSSOM are allowed.
      if (k === 'style') el.style.cssText = v;
      else el.setAttribute(k, v);
    }
  }
  for (const c of children) {
    if (c === false || c === null || c === undefined) continue;
    el.append(typeof c === 'object' ? c : String(c));
  }
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}
