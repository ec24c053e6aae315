/**
 * A load whose first answer is asked for at once, before the page renders anything
 * (sent from an effect, it would leave only after the first frame is painted). The
 * page's first call takes that answer, unless a change was pushed before it (the
 * answer may predate the change): then, as every later call, it asks again.
 */
export function loadAskedEarly<T>(send: () => Promise<T>, subscribe: (listener: () => void) => () => void): () => Promise<T> {
  let first: Promise<T> | null = send();
  first.catch(() => undefined);
  let unsubscribe: (() => void) | null = null;
  const takeFirst = () => {
    const answer = first;
    first = null;
    unsubscribe?.();
    unsubscribe = null;
    return answer;
  };
  unsubscribe = subscribe(takeFirst);
  return () => takeFirst() ?? send();
}
