/** Prints an error for a person: the message only, the stack only with --verbose. */
export function reportError(err: unknown, verbose: boolean): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`schedsim: ${message}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  else if (err instanceof Error && !isExpected(err)) process.stderr.write("(run with --verbose for the stack trace)\n");
}

/** Errors the user caused and can fix from the message alone. */
function isExpected(err: Error): boolean {
  return ["InputError", "UsageError", "PolicyError", "OptionError"].includes(err.name);
}
