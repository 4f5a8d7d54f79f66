// Export downloads. The server pages its export (a Lambda answer is at most 6 MB): JSON pages carry
// `next` (a cursor, null on the last page), CSV pages an `X-Next-Cursor` header and the header row on
// the first page only. These functions follow the cursor and join the pages into one file.
import { Fields } from './contract';

export interface Page {
  text: string;
  /** The cursor from the X-Next-Cursor header, if any. */
  headerCursor: string | null;
}

export type FetchPage = (cursor: string | null) => Promise<Page>;

/** A JSON export page: raw heartbeats (B# items first), then day rollups, and the next page's cursor. */
export interface ExportPage {
  heartbeats: unknown[];
  days: unknown[];
  next: string | null;
}

/**
 * `GET /api/export?format=json`. The items are passed on into the downloaded file unread (their fields are the
 * export format of docs/api.md, which the import reads back).
 */
export function parseExportPage(raw: unknown, strict = false): ExportPage {
  const f = Fields.of(raw, 'GET /api/export');
  return f.end({ heartbeats: f.array('heartbeats'), days: f.array('days'), next: f.stringOrNull('next') }, strict);
}

/** Safety stop: a cursor that never ends would otherwise download for ever. */
const MAX_PAGES = 10_000;

/** Joins JSON pages into one document of all heartbeats and days. */
export async function exportJson(
  fetchPage: FetchPage,
  onPage: (pages: number) => void = () => {},
): Promise<{ heartbeats: unknown[]; days: unknown[] }> {
  const doc = { heartbeats: [] as unknown[], days: [] as unknown[] };
  let cursor: string | null = null;
  for (let n = 1; n <= MAX_PAGES; n++) {
    const page = parseExportPage(JSON.parse((await fetchPage(cursor)).text));
    doc.heartbeats.push(...page.heartbeats);
    doc.days.push(...page.days);
    onPage(n);
    cursor = page.next;
    if (!cursor) return doc;
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
