/**
 * Parses Graph API `fields` strings, including field expansion with modifiers:
 * `id,name,messages.limit(20){id,from,to{id}},participants`.
 */
export interface FieldSpec {
  name: string;
  /** `.limit(20)` → { limit: '20' } */
  modifiers: Record<string, string>;
  /** Nested `{...}` selection, or null when none was given. */
  children: FieldSpec[] | null;
}

export class FieldsSyntaxError extends Error {}

export function parseFields(input: string | undefined | null): FieldSpec[] | null {
  if (input === undefined || input === null || input.trim() === '') return null;
  let pos = 0;
  const s = input;

  function parseList(): FieldSpec[] {
    const out: FieldSpec[] = [];
    for (;;) {
      skipSpace();
      if (pos >= s.length || s[pos] === '}') return out;
      out.push(parseOne());
      skipSpace();
      if (s[pos] === ',') pos++;
      else return out;
    }
  }

  function parseOne(): FieldSpec {
    const name = readName();
    if (!name)
      throw new FieldsSyntaxError(`Syntax error "Expected name." at character ${pos}: ${s}`);
    const modifiers: Record<string, string> = {};
    while (s[pos] === '.') {
      pos++;
      const mod = readName();
      if (s[pos] !== '(')
        throw new FieldsSyntaxError(`Syntax error "Expected "("." at character ${pos}: ${s}`);
      const close = s.indexOf(')', pos);
      if (close < 0)
        throw new FieldsSyntaxError(`Syntax error "Expected ")"." at character ${pos}: ${s}`);
      modifiers[mod] = s.slice(pos + 1, close);
      pos = close + 1;
    }
    let children: FieldSpec[] | null = null;
    if (s[pos] === '{') {
      pos++;
      children = parseList();
      if (s[pos] !== '}')
        throw new FieldsSyntaxError(`Syntax error "Expected "}"." at character ${pos}: ${s}`);
      pos++;
    }
    return { name, modifiers, children };
  }

  function readName(): string {
    const start = pos;
    while (pos < s.length && /[A-Za-z0-9_]/.test(s[pos]!)) pos++;
    return s.slice(start, pos);
  }

  function skipSpace(): void {
    while (s[pos] === ' ') pos++;
  }

  const list = parseList();
  if (pos < s.length)
    throw new FieldsSyntaxError(`Syntax error "Unexpected "${s[pos]}"." at character ${pos}: ${s}`);
  return list;
}

/** Field names only, for the common flat case. */
export function fieldNames(specs: FieldSpec[] | null, fallback: string[]): string[] {
  return specs ? specs.map((f) => f.name) : fallback;
}

export function findField(specs: FieldSpec[] | null, name: string): FieldSpec | undefined {
  return specs?.find((f) => f.name === name);
}

/** Back to the `fields` syntax (for paging.next of nested edges). */
export function fieldsToString(specs: FieldSpec[]): string {
  return specs
    .map((f) => {
      const mods = Object.entries(f.modifiers)
        .map(([k, v]) => `.${k}(${v})`)
        .join('');
      return f.name + mods + (f.children ? `{${fieldsToString(f.children)}}` : '');
    })
    .join(',');
}
