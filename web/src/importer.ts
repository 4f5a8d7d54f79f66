import LIMITS from '../../shared-model/src/main/resources/dev/devtime/model/api/import-limits.json';
import { Fields } from './contract';

/**
 * One request's limits, as the server enforces them (shared-model's import-limits.json, read by both).
 */
export const IMPORT_LIMITS: { maxHeartbeats: number; maxBodyBytes: number } = LIMITS;

type Json = Record<string, unknown>;

/**
 * Splits an import file into request bodies the server takes (at most `max` heartbeats and `maxBytes`
 * bytes each): a wakatime.com dump by whole days, a DevTime export page or a bare array by heartbeats.
 * Each part is a complete document of the same kind, so the server needs no state between them, and
 * importing a part twice changes nothing.
 */
export function importParts(
  doc: unknown,
  max = IMPORT_LIMITS.maxHeartbeats,
  maxBytes = IMPORT_LIMITS.maxBodyBytes,
): string[] {
  if (Array.isArray(doc)) {
    return fitted(doc, max, maxBytes, (s) => JSON.stringify(s));
  }
  if (doc && typeof doc === 'object') {
    const o = doc as Json;
    if (Array.isArray(o.days)) {
      return dayParts(o, o.days as Json[], max, maxBytes);
    }
    if (Array.isArray(o.heartbeats)) {
      // A DevTime export: heartbeats in slices; its day summaries are recomputed by the server.
      return fitted(o.heartbeats as unknown[], max, maxBytes, (s) => JSON.stringify({ heartbeats: s }));
    }
  }
  // Anything else goes as it is, so the server's message says what is wrong with it.
  return [JSON.stringify(doc)];
}

function dayParts(dump: Json, days: Json[], max: number, maxBytes: number): string[] {
  const groups: Json[][] = [];
  let current: Json[] = [];
  let count = 0;
  const flush = () => {
    if (current.length) groups.push(current);
    current = [];
    count = 0;
  };
  for (const day of days) {
    const beats = Array.isArray(day.heartbeats) ? (day.heartbeats as unknown[]) : [];
    if (beats.length > max) {
      flush();
      groups.push([day]);
      continue;
    }
    if (count + beats.length > max) flush();
    current.push(day);
    count += beats.length;
  }
  flush();
  if (!groups.length) return [JSON.stringify(dump)];
  // Whole days while they fit; one very busy day in slices, each still a day of the same date.
  const part = (group: Json[]): string[] => {
    const body = JSON.stringify({ ...dump, days: group });
    const tooLarge = bytes(body) > maxBytes;
    if (group.length > 1 && tooLarge) {
      const half = Math.ceil(group.length / 2);
      return [...part(group.slice(0, half)), ...part(group.slice(half))];
    }
    const day = group[0];
    if (group.length === 1 && Array.isArray(day.heartbeats) && (day.heartbeats.length > max || tooLarge)) {
      return fitted(day.heartbeats as unknown[], max, maxBytes, (s) =>
        JSON.stringify({ ...dump, days: [{ ...day, heartbeats: s }] }),
      );
    }
    return [body];
  };
  return groups.flatMap(part);
}

/**
 * `items` in order, in parts of at most `max` items that `build` turns into bodies of at most `maxBytes`
 * bytes: a part too large in bytes is halved until it fits (an item larger on its own goes alone, and the
 * server says so).
 */
function fitted<T>(items: T[], max: number, maxBytes: number, build: (slice: T[]) => string): string[] {
  const out: string[] = [];
  for (const s of slices(items, max)) {
    const body = build(s);
    if (s.length > 1 && bytes(body) > maxBytes) {
      const half = Math.ceil(s.length / 2);
      out.push(...fitted(s.slice(0, half), half, maxBytes, build), ...fitted(s.slice(half), half, maxBytes, build));
    } else {
      out.push(body);
    }
  }
  return out;
}

function bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

function slices<T>(items: T[], max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += max) out.push(items.slice(i, i + max));
  return out.length ? out : [[]];
}

/**
 * Sends the parts in order. The server paces imports per user (so that they do not hold up live heartbeats)
 * and answers a part it cannot take yet with 429 and Retry-After (503 when its queue is unavailable): that
 * part is sent again after the wait, any other error ends the import.
 */
export async function sendParts(
  parts: string[],
  upload: (part: string) => Promise<unknown>,
  onProgress: (part: number, waitSeconds?: number) => void,
  sleep: (seconds: number) => Promise<void> = (s) => new Promise((r) => setTimeout(r, s * 1000)),
): Promise<ImportResult[]> {
  const answers: ImportResult[] = [];
  for (let i = 0; i < parts.length; i++) {
    onProgress(i);
    for (;;) {
      try {
        answers.push(parseImportResult(await upload(parts[i])));
        break;
      } catch (e) {
        const wait = (e as { status?: number; retryAfterSeconds?: number }).retryAfterSeconds;
        const status = (e as { status?: number }).status;
        if ((status !== 429 && status !== 503) || wait === undefined) throw e;
        onProgress(i, wait);
        await sleep(wait);
      }
    }
  }
  return answers;
}

/** `POST /api/import` (202): what one part did; the first refusals are listed with their item's index. */
export interface ImportResult {
  accepted: number;
  refused: number;
  errors: { index: number; error: string }[];
  aggregating: boolean;
  message: string;
}

export function parseImportResult(raw: unknown, strict = false): ImportResult {
  const f = Fields.of(raw, 'POST /api/import');
  return f.end(
    {
      accepted: f.number('accepted'),
      refused: f.number('refused'),
      errors: f.items('errors').map((e) => ({ index: e.number('index'), error: e.string('error') })),
      aggregating: f.boolean('aggregating'),
      message: f.string('message'),
    },
    strict,
  );
}

/** Adds up the parts' answers. */
export function sumCounts(answers: ImportResult[]): { accepted: number; refused: number } {
  return answers.reduce((t, a) => ({ accepted: t.accepted + a.accepted, refused: t.refused + a.refused }), {
    accepted: 0,
    refused: 0,
  });
}
