import { rmSync } from "node:fs";

/**
 * While output is being written under a hidden name, Ctrl-C or a kill (SIGINT, SIGTERM) removes it
 * and says so in one line, exit 130 / 143, instead of a silent exit that leaves `.NAME.partial-PID`
 * behind. So does an exit before the output is committed or abandoned (a policy that calls
 * `process.exit` in the main thread), keeping its exit code. Returns the function that stops
 * watching (once the output is committed or abandoned). `path` and `what` may be functions giving
 * the paths to remove and the words for them at that moment (files staged one after another and
 * moved into place one after another, see generate).
 */
export function removeOnInterrupt(path: string | (() => readonly string[]), what: string | (() => string)): () => void {
  // Only synchronous work is possible here: the process is ending.
  const remove = (why: string) => {
    for (const p of typeof path === "string" ? [path] : path()) rmSync(p, { recursive: true, force: true });
    process.stderr.write(`\nschedsim: ${why}: ${typeof what === "string" ? what : what()}\n`);
  };
  const onExit = (code: number) => remove(`exited (code ${code}) before the end`);
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = () => {
      process.off("exit", onExit);
      remove(`interrupted (${signal})`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  process.once("exit", onExit);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.off("exit", onExit);
  };
}
