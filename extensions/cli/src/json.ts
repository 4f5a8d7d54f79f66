/** JSON from hosts and their files, read defensively: anything unexpected is undefined, never a throw. */
export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JSON object in `text`; undefined for invalid JSON or any other JSON value. */
export function parseObject(text: string): Json | undefined {
  try {
    const data: unknown = JSON.parse(text);
    return isObject(data) ? data : undefined;
  } catch {
    return undefined;
  }
}
