import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILTIN_POLICIES } from "./builtins.ts";
import { instantiate, policyShapeProblem, type Policy, type PolicySource } from "./types.ts";

/** A policy named on the command line, resolved to its source. */
export interface NamedPolicy {
  readonly name: string;
  readonly source: PolicySource;
  /** The file it came from, for a user policy. */
  readonly file?: string;
}

export class OptionError extends Error {
  override readonly name = "OptionError";
}

const POLICY_FILE = /\.(m|c)?(t|j)s$/;

/**
 * Resolves `--policy` values: a built-in name, `all` (every built-in), or the path of a `.ts` /
 * `.js` file whose default export is a policy or a factory of one. TypeScript files are loaded
 * with tsx, so no build step is needed.
 */
export async function resolvePolicies(specs: readonly string[]): Promise<NamedPolicy[]> {
  const out: NamedPolicy[] = [];
  for (const spec of specs) {
    if (spec === "all") {
      for (const [name, source] of BUILTIN_POLICIES) out.push({ name, source });
    } else if (BUILTIN_POLICIES.has(spec)) {
      out.push({ name: spec, source: BUILTIN_POLICIES.get(spec)! });
    } else if (POLICY_FILE.test(spec) || spec.includes("/") || spec.includes("\\")) {
      out.push(await loadPolicyFile(spec));
    } else {
      throw new OptionError(`unknown policy "${spec}": use one of ${[...BUILTIN_POLICIES.keys()].join(", ")}, "all", or the path of a .ts/.js policy file`);
    }
  }
  // The same policy named twice runs once; two different ones may not share a name, as each
  // policy's files go to the folder of its name.
  const byName = new Map<string, NamedPolicy>();
  for (const p of out) {
    checkFolderName(p);
    const earlier = byName.get(p.name);
    if (earlier === undefined) byName.set(p.name, p);
    else if (earlier.source !== p.source && (earlier.file === undefined || earlier.file !== p.file)) {
      const what = (q: NamedPolicy) => (q.file === undefined ? "the built-in" : q.file);
      throw new OptionError(`two policies are named "${p.name}" (${what(earlier)} and ${what(p)}): their results would share a folder, so rename one`);
    }
  }
  return [...byName.values()];
}

/** Names that would put a policy's folder elsewhere, or on a file of the results folder. */
const NOT_A_FOLDER = new Set([".", "..", "summary.csv", "summary.json", "run.json"]);

/** A policy's name names its results folder (`<out>/<name>/`): it must be a plain folder name. */
function checkFolderName(p: NamedPolicy): void {
  if (NOT_A_FOLDER.has(p.name) || p.name.includes("\0")) {
    throw new OptionError(`policy file ${p.file}: the name "${p.name}" cannot name its results folder (not ".", "..", summary.csv, summary.json or run.json)`);
  }
}

/** Loads a user's policy file and checks that it really is a policy. */
export async function loadPolicyFile(path: string): Promise<NamedPolicy> {
  const file = resolve(path);
  if (!existsSync(file)) throw new OptionError(`policy file ${path} does not exist`);
  let mod: Record<string, unknown>;
  try {
    const url = pathToFileURL(file).href;
    const viaTsx = async () => (await import("tsx/esm/api")).tsImport(url, import.meta.url);
    mod = /\.(m|c)?ts$/.test(file) ? await viaTsx() : await import(url).catch((err: unknown) => {
      // Run from its sources (tsx's hooks registered for the whole process), Node hands a .js file
      // with ESM syntax outside a "type": "module" package to require(), which refuses it as a
      // cycle: tsx's own import loads it as the bundle does.
      if ((err as { code?: string }).code === "ERR_REQUIRE_CYCLE_MODULE") return viaTsx();
      throw err;
    });
  } catch (err) {
    const where = syntaxErrorPosition(file);
    throw new OptionError(`policy file ${path}${where} could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
  }
  // A .ts file outside an ESM package is compiled as CommonJS: its exports then arrive as the
  // namespace's `default`, an object that (unlike a policy) has no name, score or select.
  const d = mod.default;
  const cjs = d && typeof d === "object" && !("name" in d) && !("score" in d) && !("select" in d) ? (d as Record<string, unknown>) : undefined;
  const source = (cjs ? (cjs.default ?? cjs.policy) : (mod.default ?? mod.policy)) as PolicySource | undefined;
  if (source === undefined) throw new OptionError(`policy file ${path} has no default export (export default { name, score } or { name, select })`);
  let policy: Policy;
  try {
    policy = instantiate(source);
  } catch (err) {
    throw new OptionError(`policy file ${path}: its factory threw ${err instanceof Error ? err.message : String(err)}`);
  }
  checkPolicyShape(policy, path);
  return { name: policy.name, source, file };
}

/**
 * Where a JavaScript file's syntax error is, as ":line:column", or "" when it has none or it is unknown. Node gives a
 * SyntaxError of an imported module no position (its uncaught-error printout does, not the error);
 * `node --check` on the source as a module prints the line and a caret under the column. Only on
 * this error path. (A .ts file's error comes from tsx with its position already.)
 */
function syntaxErrorPosition(file: string): string {
  if (/\.(m|c)?ts$/.test(file)) return "";
  let source: Buffer;
  try {
    source = readFileSync(file);
  } catch {
    return "";
  }
  const check = spawnSync(process.execPath, ["--input-type=module", "--check"], { input: source, encoding: "utf8", timeout: 10_000 });
  const lines = (check.stderr ?? "").split("\n");
  const line = /^\[stdin\]:(\d+)$/.exec(lines[0] ?? "")?.[1];
  if (line === undefined) return "";
  const caret = (lines[2] ?? "").indexOf("^");
  return caret >= 0 ? `:${line}:${caret + 1}` : `:${line}`;
}

export function checkPolicyShape(policy: unknown, where: string): asserts policy is Policy {
  if (!policy || typeof policy !== "object") throw new OptionError(`${where}: the export is not a policy object`);
  // Its name names its results folder: no slashes.
  const problem = policyShapeProblem(policy, true);
  if (problem !== undefined) throw new OptionError(`${where}: ${problem}`);
}
