/**
 * Building the page from data: every value goes in as text or an attribute, never as HTML, so a
 * version, reason or flag name from the journal cannot inject markup into the page.
 */
export type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  el.append(...nodes(children));
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  setAttributes(el, attrs);
  el.append(...nodes(children));
  return el;
}

function setAttributes(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    // Through the CSSOM: the page's Content-Security-Policy forbids style attributes.
    else if (name === 'style') setStyle(el as HTMLElement, String(value));
    else el.setAttribute(name, value === true ? '' : String(value));
  }
}

function setStyle(el: HTMLElement | SVGElement, declarations: string): void {
  for (const declaration of declarations.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon > 0)
      el.style.setProperty(declaration.slice(0, colon).trim(), declaration.slice(colon + 1).trim());
  }
}

function nodes(children: Child[]): Array<Node | string> {
  return children
    .filter((c): c is Node | string | number => c !== null && c !== undefined && c !== false)
    .map((c) => (typeof c === 'number' ? String(c) : c));
}

/**
 * Replaces a region's content; the element that had the focus inside it (found again by its
 * `data-key`) gets it back, so a live update never throws a keyboard user out of a list.
 */
export function replaceRegion(region: Element, ...children: Child[]): void {
  const active = document.activeElement;
  const key = active && region.contains(active) ? active.getAttribute('data-key') : null;
  region.replaceChildren(...nodes(children));
  if (key === null) return;
  const again = region.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
  again?.focus();
}

/** "1.2 s", "340 ms", "2 m 5 s": a duration as people read it. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '…';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} m ${s % 60} s`;
}

/** The time of day of an ISO timestamp, in the browser's zone (a dashboard is watched live). */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour12: false });
}

/** A number with at most `digits` decimals, or an em dash for none. */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return String(Math.round(value * 10 ** digits) / 10 ** digits);
}
