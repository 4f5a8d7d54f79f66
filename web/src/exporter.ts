// Export downloads. The server pages its export (a Lambda answer is at most 6 MB): JSON pages carry
// `next` (a cursor, null on the last page), CSV pages an `X-Next-Cursor` header and the header row on
// the first page only. These functions follow the cursor and join the pages into one file.

export interface Page {
  text: string;
  /** The cursor from the X-Next-Cursor header, if any. */
  headerCursor: string | null;
}

export type FetchPage = (cursor: string | null) => Promise<Page>;

/** Safety stop: a cursor that never ends would otherwise download for ever. */
const MAX_PAGES = 10_000;

/**
 * Joins JSON pages: array fields are concatenated in page order, other fields come from the first
 * page, and the paging field `next` is dropped.
 */
export async function exportJson(fetchPage: FetchPage, onPage: (pages: number) => void = () => {}): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  let cursor: string | null = null;
  for (let n = 1; n <= MAX_PAGES; n++) {
    const page = await fetchPage(cursor);
    const body = JSON.parse(page.text) as Record<string, unknown>;
    for (const [k, v] of Object.entries(body)) {
      if (k === 'next') continue;
      if (Array.isArray(v)) merged[k] = [...((merged[k] as unknown[] | undefined) ?? []), ...v];
      else if (!(k in merged)) merged[k] = v;
    }
    onPage(n);
    cursor = typeof body.next === 'string' && body.next ? body.next : page.headerCursor;
    if (!cursor) return merged;
  }
  throw new Error(`the export did not end after ${MAX_PAGES} pages`);
}

/** Joins CSV pages (the server writes the header row on the first page only). */
export async function exportCsv(fetchPage: FetchPage, onPage: (pages: number) => void = () => {}): Promise<string> {
  const parts: string[] = [];
  let cursor: string | null = null;
  for (let n = 1; n <= MAX_PAGES; n++) {
    const page = await fetchPage(cursor);
    parts.push(page.text.length > 0 && !page.text.endsWith('\n') ? `${page.text}\n` : page.text);
    onPage(n);
    cursor = page.headerCursor;
    if (!cursor) return parts.join('');
  }
  throw new Error(`the export did not end after ${MAX_PAGES} pages`);
}

export const CSV_TABLES = [
  { id: 'heartbeats', label: 'heartbeats' },
  { id: 'sessions', label: 'sessions' },
  { id: 'days', label: 'daily totals' },
  { id: 'durations', label: 'durations' },
] as const;
