/** A page whose visibility a test switches (and focuses), for code built on PageVisibility. */
import type { PageVisibility } from '../../src/ui/components/page-visibility.ts';

export interface FakeVisibility extends PageVisibility {
  set(visible: boolean): void;
  /** A focus event: listeners run, visibility unchanged. */
  focus(): void;
  listenerCount(): number;
}

export function fakeVisibility(initiallyVisible = true): FakeVisibility {
  let visible = initiallyVisible;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  return {
    isVisible: () => visible,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      visible = next;
      notify();
    },
    focus: notify,
    listenerCount: () => listeners.size,
  };
}
