/**
 * In-page confirmation (DESIGN §7 `confirm` / `cancel`): a destructive action asks
 * once, beside the button that started it. One question is open at a time in the
 * whole dashboard, so the test ids stay unique on the page.
 */
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';

interface ConfirmState {
  openKey: string | null;
  setOpenKey: (key: string | null) => void;
}

const ConfirmContext = createContext<ConfirmState>({ openKey: null, setOpenKey: () => undefined });

export function ConfirmProvider({ children }: { children: ComponentChildren }) {
  const [openKey, setOpenKey] = useState<string | null>(null);
  return <ConfirmContext.Provider value={{ openKey, setOpenKey }}>{children}</ConfirmContext.Provider>;
}

/** Whether the question for `key` is open, and the functions that open and close it. */
export function useConfirm(key: string): { open: boolean; ask: () => void; close: () => void } {
  const { openKey, setOpenKey } = useContext(ConfirmContext);
  return {
    open: openKey === key,
    ask: () => setOpenKey(key),
    close: () => {
      if (openKey === key) setOpenKey(null);
    },
  };
}

/** The question with Cancel and the confirming button; focus moves to Cancel, the safe choice. */
export function InlineConfirm({
  question,
  confirmLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  question: ComponentChildren;
  confirmLabel: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div
      class="inline-confirm"
      role="alertdialog"
      aria-label="Confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      <p class="inline-confirm-question">{question}</p>
      <div class="row wrap">
        <button type="button" class="button small" data-testid="cancel" ref={cancelRef} disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="button small danger" data-testid="confirm" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
