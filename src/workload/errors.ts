/**
 * An error in an input file, carrying where it is: file, 1-based line and the column's name.
 * The CLI prints `message` alone (no stack) and exits 1.
 */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly reason: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: string,
    readonly value?: string,
  ) {
    super(InputError.format(reason, file, line, column, value));
  }

  static format(reason: string, file?: string, line?: number, column?: string, value?: string): string {
    let where = file ?? "";
    if (line !== undefined) where += `${where ? ":" : "line "}${line}`;
    if (column !== undefined) where += `${where ? ", " : ""}column "${column}"`;
    const shown = value === undefined ? "" : ` (got ${JSON.stringify(value.length > 60 ? value.slice(0, 57) + "..." : value)})`;
    return where ? `${where}: ${reason}${shown}` : `${reason}${shown}`;
  }
}
