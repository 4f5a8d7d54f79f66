// Shared building blocks: async loading state, status messages, copy button.
import {
  createContext,
  useCallback,
  useDeferredValue,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
  type RefObject,
} from 'react';

export type Async<T> = { status: 'loading' } | { status: 'error'; error: Error } | { status: 'ok'; data: T };

/** The user's time zone from their settings; null until the server has said it. */
export const UserTimeZone = createContext<string | null>(null);

/**
 * Runs `load` whenever `key` changes; stale answers (from an older key) are dropped. A null key waits
 * (the state stays loading) until what the load needs is known.
 */
export function useAsync<T>(load: () => Promise<T>, key: string | null): [Async<T>, () => void] {
  const [state, setState] = useState<Async<T>>({ status: 'loading' });
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    if (key === null) return;
    loadRef.current().then(
      (data) => live && setState({ status: 'ok', data }),
      (error: Error) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
  }, [key, nonce]);
  return [state, useCallback(() => setNonce((n) => n + 1), [])];
}

/**
 * False on the first render, true in a low-priority render right after it. What is below the first
 * chart (other charts, the calendar, goals, and their requests) waits for it, so the first chart is not
 * drawn in the same pass as everything else, nor competes with their requests.
 */
export function useLater(): boolean {
  return useDeferredValue(true, false);
}

/**
 * The width of an element, measured before the browser paints it and again when it changes, so a chart
 * draws in the first frame instead of a frame after an empty one (as a size measured in an effect would).
 */
export function useWidth<T extends HTMLElement>(): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(([e]) => setWidth(Math.round(e.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** Renders `children` once {@link useLater} says so. */
export function Later({ children }: { children: ReactNode }) {
  return <>{useLater() ? children : null}</>;
}

export function Loading({ what }: { what: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </div>
  );
}

export function ErrorBox({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Something went wrong.</strong> {error.message}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state state-empty">{children}</div>;
}

export function Show<T>({
  state,
  what,
  retry,
  children,
}: {
  state: Async<T>;
  what: string;
  retry: () => void;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') return <Loading what={what} />;
  if (state.status === 'error') return <ErrorBox error={state.error} retry={retry} />;
  return <>{children(state.data)}</>;
}

/** Copies text; falls back to selecting it when the Clipboard API is unavailable (plain http). */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState<'' | 'copied' | 'failed'>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" onClick={copy} aria-label={label}>
        Copy
      </button>
      <span role="status" aria-live="polite" className="copy-status">
        {done === 'copied' ? 'Copied' : done === 'failed' ? 'Copy failed: select the text and copy it' : ''}
      </span>
    </span>
  );
}
