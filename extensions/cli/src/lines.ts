/**
 * Line-by-line reading of JSONL files of any size in bounded memory: a fixed read buffer, and a line
 * is only ever turned into a string when it is shorter than `maxLineBytes`. Session files of many GB
 * and single lines of hundreds of MB (Codex `compacted` history, pasted files) are real; a line too
 * long to hold carries no usage either, so it is skipped and counted.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Longer lines are skipped without being buffered (usage lines are a few KB). */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

export interface LineReadOptions {
  /** Byte offset to start at (a saved position of an earlier read). */
  offset?: number;
  /** Also deliver a last line that has no newline yet (whole-file reads); the live path waits for it. */
  includePartial?: boolean;
  maxLineBytes?: number;
  chunkBytes?: number;
  /**
   * Only lines containing one of these strings are decoded and delivered (the others are scanned as
   * bytes only): most of a transcript is tool output that carries no usage.
   */
  containing?: string[];
}

export interface LineReadResult {
  /** Offset just after the last complete line delivered (where the next read starts). */
  offset: number;
  /** The file was shorter than the offset (replaced): it was read from the start. */
  restarted: boolean;
  /** Lines longer than `maxLineBytes`, skipped. */
  skipped: number;
  bytesRead: number;
}

/**
 * Calls `onLine(line, end)` for each line from `offset` on, in order; `end` is the byte offset just
 * after the line's newline. A missing or unreadable file reads as empty.
 */
export function forEachLine(
  path: string,
  onLine: (line: string, end: number) => void,
  options: LineReadOptions = {},
): LineReadResult {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const start0 = options.offset ?? 0;
  const markers = options.containing?.map((m) => Buffer.from(m));
  const wanted = (b: Buffer) => !markers || markers.some((m) => b.indexOf(m) >= 0);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return { offset: start0, restarted: false, skipped: 0, bytesRead: 0 };
  }
  try {
    const size = fstatSync(fd).size;
    const restarted = size < start0;
    let pos = restarted ? 0 : start0;
    let lineStart = pos;
    const buf = Buffer.allocUnsafe(options.chunkBytes ?? CHUNK_BYTES);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false;
    let skipped = 0;
    let bytesRead = 0;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      bytesRead += n;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, from);
        if (nl < 0 || nl >= n) break;
        const end = pos + nl + 1;
        if (skipping || pendingBytes + (nl - from) > maxLine) {
          skipped++;
        } else {
          const piece = buf.subarray(from, nl);
          const bytes = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
          if (wanted(bytes)) onLine(bytes.toString('utf8'), end);
        }
        pending = [];
        pendingBytes = 0;
        skipping = false;
        lineStart = end;
        from = nl + 1;
      }
      if (from < n && !skipping) {
        if (pendingBytes + (n - from) > maxLine) {
          // Too long to keep: drop what was gathered and ignore the rest up to the next newline.
          pending = [];
          pendingBytes = 0;
          skipping = true;
        } else {
          pending.push(Buffer.from(buf.subarray(from, n)));
          pendingBytes += n - from;
        }
      }
      pos += n;
    }
    if (options.includePartial && pendingBytes > 0 && !skipping) {
      const bytes = Buffer.concat(pending);
      if (wanted(bytes)) onLine(bytes.toString('utf8'), pos);
      lineStart = pos;
    } else if (options.includePartial && skipping) {
      skipped++;
    }
    return { offset: lineStart, restarted, skipped, bytesRead };
  } finally {
    closeSync(fd);
  }
}
