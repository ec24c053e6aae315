/**
 * An issuer's card colours, used only when they are plain hex colours and their text
 * reads against their background (WCAG 2 contrast ≥ 4.5:1). Otherwise the text colour
 * is replaced by black or white when that reads, else the wallet's own colours stay:
 * an issuer cannot make a card unreadable, nor inject CSS through a colour value.
 */
const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
export const MIN_CONTRAST = 4.5;

export interface CardColours {
  background: string;
  text: string;
}

/** Parses `#rgb` / `#rrggbb`; null for anything else (names, rgb(), url(), expressions). */
export function parseHexColour(value: string | undefined): [number, number, number] | null {
  const match = value ? HEX.exec(value.trim()) : null;
  if (!match) return null;
  const hex = (match[1] as string).length === 3 ? [...(match[1] as string)].map((c) => c + c).join('') : (match[1] as string);
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function luminance([r, g, b]: [number, number, number]): number {
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

export function contrastRatio(a: [number, number, number], b: [number, number, number]): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

const hexOf = (rgb: [number, number, number]) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
const BLACK: [number, number, number] = [0, 0, 0];
const WHITE: [number, number, number] = [255, 255, 255];

/** The colours a card may use, or null to keep the wallet's own. */
export function cardColours(backgroundColor: string | undefined, textColor: string | undefined): CardColours | null {
  const background = parseHexColour(backgroundColor);
  if (!background) return null;
  const text = parseHexColour(textColor);
  if (text && contrastRatio(background, text) >= MIN_CONTRAST) return { background: hexOf(background), text: hexOf(text) };
  const fallback = contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? BLACK : WHITE;
  return contrastRatio(background, fallback) >= MIN_CONTRAST ? { background: hexOf(background), text: hexOf(fallback) } : null;
}
