/**
 * window.tessera (MAIN world, document_start): an EIP-1193-style provider announced
 * in the manner of EIP-6963. It only posts tagged envelopes to the content script
 * and resolves what comes back; it holds no secrets and trusts nothing from the page.
 */
import { CONTENT_TARGET, INPAGE_TARGET, type InpageEnvelope } from '../protocol/envelope.ts';
import { RpcErrorCode } from '../protocol/errors.ts';
import { installDigitalCredentialsHook } from './digital-credentials.ts';

type Listener = (data: unknown) => void;
interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

const pending = new Map<string, Pending>();
const listeners = new Map<string, Set<Listener>>();

const rpcError = (code: number, message: string) => Object.freeze({ code, message });

function request(args: unknown): Promise<unknown> {
  if (typeof args !== 'object' || args === null || typeof (args as { method?: unknown }).method !== 'string') {
    return Promise.reject(rpcError(RpcErrorCode.invalidParams, 'Invalid params: request expects { method: string, params? }'));
  }
  const { method, params } = args as { method: string; params?: unknown };
  const id = crypto.randomUUID();
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    try {
      window.postMessage({ target: CONTENT_TARGET, type: 'request', id, request: { method, params } }, '*');
    } catch {
      pending.delete(id);
      reject(rpcError(RpcErrorCode.invalidParams, 'Invalid params: params must be structured-cloneable'));
    }
  });
}

function on(event: string, listener: Listener): typeof provider {
  if (typeof listener === 'function') {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
  }
  return provider;
}

function removeListener(event: string, listener: Listener): typeof provider {
  listeners.get(event)?.delete(listener);
  return provider;
}

const provider = Object.freeze({ isTessera: true, request, on, removeListener });

window.addEventListener('message', (event: MessageEvent) => {
  if (event.source !== window) return;
  const message = event.data as InpageEnvelope | null;
  if (message?.target !== INPAGE_TARGET) return;
  if (message.type === 'response') {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if ('error' in message) waiting.reject(rpcError(message.error.code, message.error.message));
    else waiting.resolve(message.result);
  } else if (message.type === 'event') {
    for (const listener of listeners.get(message.event) ?? []) {
      try {
        listener(message.data);
      } catch (error) {
        console.error('tessera: event listener failed', error);
      }
    }
  }
});

const info = Object.freeze({
  uuid: crypto.randomUUID(),
  name: 'Tessera',
  rdns: 'org.tessera.wallet',
  icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"%3E%3Crect width="7" height="7" fill="%232b59c3"/%3E%3Crect x="9" width="7" height="7" fill="%23e0a526"/%3E%3Crect y="9" width="7" height="7" fill="%23e0a526"/%3E%3Crect x="9" y="9" width="7" height="7" fill="%232b59c3"/%3E%3C/svg%3E',
});

function announce(): void {
  window.dispatchEvent(new CustomEvent('tessera:announceProvider', { detail: Object.freeze({ info, provider }) }));
}

Object.defineProperty(window, 'tessera', { value: provider, writable: false, configurable: false, enumerable: true });
window.addEventListener('tessera:requestProvider', announce);
announce();
installDigitalCredentialsHook(request);
