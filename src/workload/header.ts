import { InputError } from "./errors.ts";

/** Column positions of a CSV header, checked against the columns a format knows. */
export class Header {
  private readonly position = new Map<string, number>();
  /** Columns the format does not know: read past, reported as warnings. */
  readonly unknown: string[] = [];

  constructor(fields: readonly string[], known: readonly string[], readonly file: string | undefined, readonly line = 1) {
    fields.forEach((raw, i) => {
      const name = raw.trim();
      if (this.position.has(name)) throw new InputError(`duplicate column "${name}" in the header`, file, line, name);
      this.position.set(name, i);
      if (!known.includes(name)) this.unknown.push(name);
    });
  }

  /** A header whose `required` columns must be there; its unknown-column warning goes to `warnings`. */
  static open(fields: readonly string[], known: readonly string[], required: readonly string[], file: string | undefined, line: number, warnings: string[]): Header {
    const header = new Header(fields, known, file, line);
    for (const name of required) header.require(name);
    const w = header.warning();
    if (w) warnings.push(w);
    return header;
  }

  /** A row's field in a column, trimmed; "" when the column is absent or the field missing. */
  field(fields: readonly string[], name: string): string {
    const i = this.position.get(name);
    return i === undefined ? "" : (fields[i] ?? "").trim();
  }

  has(name: string): boolean {
    return this.position.has(name);
  }

  /** Index of a column, -1 when absent. */
  index(name: string): number {
    return this.position.get(name) ?? -1;
  }

  /** Index of a column that must be there. */
  require(name: string, why = ""): number {
    const i = this.position.get(name);
    if (i === undefined) throw new InputError(`missing required column "${name}"${why} (header has: ${[...this.position.keys()].join(", ")})`, this.file, this.line, name);
    return i;
  }

  /** One warning line for the unknown columns, if any. */
  warning(): string | undefined {
    if (this.unknown.length === 0) return undefined;
    return `${this.file ?? "input"}: ignoring unknown column${this.unknown.length > 1 ? "s" : ""} ${this.unknown.map((c) => `"${c}"`).join(", ")}`;
  }
}
