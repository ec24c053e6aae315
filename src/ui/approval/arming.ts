/**
 * The guard against tap-jacking: a site can open the approval window right under the
 * user's pointer, or swap it in between two clicks, so a button that releases data
 * (approve, share, keep) only works once the window has been on screen for a moment.
 * Hidden again, it disarms and waits the whole delay once more when shown.
 */
import type { PageVisibility } from '../components/page-visibility.ts';

export const ARMING_DELAY_MS = 500;

/**
 * Reports `armed` through `onChange` (false at first, then true `delayMs` after the
 * page has been visible without interruption). Returns the function that stops it.
 */
export function watchArming(
  visibility: PageVisibility,
  onChange: (armed: boolean) => void,
  delayMs = ARMING_DELAY_MS,
): () => void {
  let armed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const cancelTimer = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };
  const update = () => {
    if (!visibility.isVisible()) {
      cancelTimer();
      if (armed) {
        armed = false;
        onChange(false);
      }
      return;
    }
    if (armed || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!visibility.isVisible()) return;
      armed = true;
      onChange(true);
    }, delayMs);
  };

  const unwatch = visibility.onChange(update);
  update();
  return () => {
    cancelTimer();
    unwatch();
  };
}
