import type { Page } from 'playwright-core';

/** A text whose colour is below WCAG AA against the background it is drawn on. */
export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

/**
 * Every visible piece of HTML text on `page` measured against the first opaque background behind
 * it (WCAG 2 relative luminance). AA asks 4.5:1 for body text and 3:1 for large text (24 px, or
 * 18.66 px bold); disabled controls are exempt. Returns how many were measured and those below.
 */
export function measureContrast(page: Page): Promise<{ checked: number; low: LowContrast[] }> {
  return page.evaluate(() => {
    const rgb = (css: string): number[] => (css.match(/[\d.]+/g) ?? []).map(Number);
    const channel = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    const luminance = ([r = 0, g = 0, b = 0]: number[]) =>
      0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    const backgroundOf = (el: Element | null): string => {
      for (let at = el; at; at = at.parentElement) {
        const bg = getComputedStyle(at).backgroundColor;
        const alpha = rgb(bg)[3];
        if (bg !== 'transparent' && (alpha === undefined || alpha === 1)) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const found: Array<{ text: string; ratio: number; color: string; background: string }> = [];
    let checked = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent?.trim() ?? '';
      if (!el || text === '' || el.closest('svg, [disabled], [hidden]') || el.getClientRects().length === 0)
        continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      checked++;
      const background = backgroundOf(el);
      const [a, b] = [luminance(rgb(style.color)), luminance(rgb(background))];
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        found.push({
          text: text.slice(0, 40),
          ratio: Math.round(ratio * 100) / 100,
          color: style.color,
          background,
        });
    }
    return { checked, low: found };
  });
}
