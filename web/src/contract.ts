// Reading the API's JSON answers. Each answer the dashboard reads has one parser here or beside its view,
// which names every field it expects with its type (docs/api.md): a missing or mistyped field is an error
// that says which. Fields a parser does not name are ignored at run time, so a newer server may add some;
// the contract tests parse strictly, failing on them too, against fixtures (./contract/*.json) that the
// server's tests produce from its real handlers.

export class ContractError extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One JSON object of an answer, read field by field. */
export class Fields {
  private readonly read = new Set<string>();
  private readonly children: Fields[] = [];

  private constructor(
    private readonly o: Json,
    private readonly where: string,
  ) {}

  /** @param where the answer and the path to this object, for messages */
  static of(raw: unknown, where: string): Fields {
    if (!isObject(raw)) throw new ContractError(`${where}: expected an object`);
    return new Fields(raw, where);
  }

  private fail(name: string, what: string): never {
    throw new ContractError(`${this.where}.${name}: ${what}`);
  }

  private get(name: string): unknown {
    this.read.add(name);
    if (!(name in this.o)) this.fail(name, 'missing');
    return this.o[name];
  }

  /** Whether the object has the field: for fields an answer carries only in some cases. */
  has(name: string): boolean {
    return name in this.o;
  }

  string(name: string): string {
    const v = this.get(name);
    return typeof v === 'string' ? v : this.fail(name, 'expected a string');
  }

  stringOrNull(name: string): string | null {
    const v = this.get(name);
    return v === null || typeof v === 'string' ? v : this.fail(name, 'expected a string or null');
  }

  number(name: string): number {
    const v = this.get(name);
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(name, 'expected a number');
  }

  numberOrNull(name: string): number | null {
    const v = this.get(name);
    return v === null
      ? null
      : typeof v === 'number' && Number.isFinite(v)
        ? v
        : this.fail(name, 'expected a number or null');
  }

  boolean(name: string): boolean {
    const v = this.get(name);
    return typeof v === 'boolean' ? v : this.fail(name, 'expected true or false');
  }

  /** An array whose items the dashboard passes on without reading them (an export's heartbeats). */
  array(name: string): unknown[] {
    const v = this.get(name);
    return Array.isArray(v) ? v : this.fail(name, 'expected an array');
  }

  strings(name: string): string[] {
    return this.array(name).map((x, i) =>
      typeof x === 'string' ? x : this.fail(`${name}[${i}]`, 'expected a string'),
    );
  }

  object(name: string): Fields {
    return this.child(this.get(name), `${this.where}.${name}`);
  }

  /** An array of objects. */
  items(name: string): Fields[] {
    return this.array(name).map((x, i) => this.child(x, `${this.where}.${name}[${i}]`));
  }

  /** An object used as a map from names to numbers (seconds by project). */
  numbers(name: string): Record<string, number> {
    const m = this.object(name);
    const out: Record<string, number> = {};
    for (const k of m.keys()) out[k] = m.number(k);
    return out;
  }

  /** An object used as a map from names to objects (AI usage by model). */
  entries(name: string): [string, Fields][] {
    const m = this.object(name);
    return m.keys().map((k) => [k, m.object(k)]);
  }

  /** Fields the server sends that the dashboard knowingly does not use. */
  ignore(...names: string[]): this {
    for (const n of names) this.read.add(n);
    return this;
  }

  /** Ends the read: when strict, a field no parser named is an error, here or in any object read from this one. */
  end<T>(value: T, strict: boolean): T {
    if (strict) this.check();
    return value;
  }

  private keys(): string[] {
    return Object.keys(this.o);
  }

  private child(raw: unknown, where: string): Fields {
    if (!isObject(raw)) throw new ContractError(`${where}: expected an object`);
    const f = new Fields(raw, where);
    this.children.push(f);
    return f;
  }

  private check(): void {
    const unknown = this.keys().filter((k) => !this.read.has(k));
    if (unknown.length > 0) throw new ContractError(`${this.where}: unknown field(s) ${unknown.join(', ')}`);
    this.children.forEach((c) => c.check());
  }
}

/** `{"error": "..."}`, the body of every refusal (4xx) and failure (5xx) DevTime's handlers answer. */
export function parseError(raw: unknown, strict = false): string {
  const f = Fields.of(raw, 'error');
  return f.end(f.string('error'), strict);
}
