import yargs from "yargs";
import type { Argv, CommandModule } from "yargs";
import { reportError } from "./errors.ts";
import { runCommand } from "./commands/run.ts";
import { generateCommand } from "./commands/generate.ts";
import { importCommand } from "./commands/import.ts";

/** Every subcommand; each lives in its own module under commands/. */
const COMMANDS: CommandModule<object, any>[] = [runCommand, generateCommand, importCommand];

/** Parses argv, runs the command, and returns the process exit code (0 ok, 1 bad input or failure). */
export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose");
  let failure: unknown;
  // Options that may be given more than once: those the command's builder declares as arrays.
  const repeatable = new Set<string>();
  const parser = yargs(argv)
    .scriptName("schedsim")
    .usage("$0 <command> [options]")
    .option("verbose", { type: "boolean", describe: "print stack traces of errors", global: true })
    .strict()
    .demandCommand(1, "name a command: run, import or generate")
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version(false)
    // English only, as all of schedsim's own messages: and the bundle has no yargs locale files.
    .detectLocale(false)
    // yargs lays out the help text on every run of a command (to keep it at hand); wrapping it to
    // the terminal costs ~35 ms, worth it only when the help is asked for.
    .wrap(argv.includes("--help") || argv.includes("-h") ? Math.min(110, process.stdout.columns || 100) : null)
    // Throwing here stops yargs: a `fail` callback that returns lets it run the command anyway.
    .fail((msg, err) => {
      // yargs' own refusals (a YError) are the user's to fix, like the messages it passes alone.
      if (err && err.name !== "YError") throw err;
      const text = (msg ?? err?.message ?? "").replace(/\s*\n\s*/g, " ");
      throw new UsageError(text.replace(/^Not enough arguments following: (\S+)$/, "--$1 needs a value"));
    })
    // yargs turns an option given twice into an array of both values, which the commands would
    // read as something else entirely (`--workload a --workload b`): only the repeatable ones may.
    .middleware((args) => {
      for (const [key, value] of Object.entries(args)) {
        if (!Array.isArray(value) || key === "_" || /[A-Z]/.test(key)) continue;
        if (!repeatable.has(key)) throw new UsageError(`--${key} is given ${value.length} times: give it once`);
        // A repeatable option given with no value at all (requiresArg leaves arrays alone).
        if (value.length === 0 || value.some((v) => v === "")) throw new UsageError(`--${key} needs a value`);
      }
    }, true);
  for (const command of COMMANDS) parser.command({ ...command, builder: (y: Argv) => valuesRequired(y, command.builder, repeatable) });
  try {
    await parser.parseAsync();
  } catch (err) {
    failure = err;
  }
  if (failure !== undefined) {
    reportError(failure, verbose);
    return 1;
  }
  return typeof process.exitCode === "number" ? process.exitCode : 0;
}

/**
 * Builds a command's options, then makes every option that takes a value refuse to go without one:
 * yargs otherwise reads `--horizon` alone as no horizon and `--zones` alone as an empty path, and
 * the run goes on without what was asked for. Repeatable (array) options keep taking several values,
 * and are recorded as such for the check of options given twice.
 */
function valuesRequired(y: Argv, builder: CommandModule["builder"], repeatable: Set<string>): Argv {
  const built = typeof builder === "function" ? (builder(y) as Argv) : builder ? y.options(builder) : y;
  const options = (built as unknown as { getOptions(): unknown }).getOptions() as { string: string[]; number: string[]; array: string[]; choices: Record<string, unknown> };
  for (const key of options.array) repeatable.add(key);
  const valued = [...options.string, ...options.number, ...Object.keys(options.choices)].filter((key) => !options.array.includes(key));
  return built.requiresArg(valued);
}

/** A command line that yargs refused (unknown option, bad choice, missing argument). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
