/**
 * Whether this page is on screen, and when that changes: the one place the pages read
 * `document.visibilityState`. A port, so the logic built on it (arming the approve
 * button, refreshing on return) is tested in Node with a fake.
 */
export interface PageVisibility {
  isVisible(): boolean;
  /** Calls `listener` when the page is shown, hidden or focused; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export const documentVisibility: PageVisibility = {
  isVisible: () => document.visibilityState === 'visible',
  onChange(listener) {
    document.addEventListener('visibilitychange', listener);
    window.addEventListener('focus', listener);
    return () => {
      document.removeEventListener('visibilitychange', listener);
      window.removeEventListener('focus', listener);
    };
  },
};
