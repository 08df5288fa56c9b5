import yargs from "yargs";
import type { CommandModule } from "yargs";
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
      throw err ?? new UsageError(msg.replace(/\s*\n\s*/g, " "));
    });
  for (const command of COMMANDS) parser.command(command);
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

/** A command line that yargs refused (unknown option, bad choice, missing argument). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
