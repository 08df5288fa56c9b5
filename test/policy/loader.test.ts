/**
 * A user's policy is a .ts or .js file given by path: written here to a temporary folder (outside
 * the project, as a student's file would be), loaded with loadPolicyFile, and obeyed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILTIN_POLICIES, OptionError, PolicyError, loadPolicyFile, resolvePolicies, type PolicySource } from "../../src/index.ts";
import { run } from "../helpers.ts";

let dir: string;
const file = (name: string) => join(dir, name);

const FILES: Record<string, string> = {
  // Select form: the highest-index feasible node. Type annotations make it real TypeScript; the
  // type-only import is erased, so the file needs nothing installed beside it.
  "last-feasible.ts": `
    import type { SelectPolicy } from "schedsim";
    const lastFeasible: SelectPolicy = {
      name: "last-feasible",
      select(c, cluster): number | null {
        for (let node: number = cluster.size - 1; node >= 0; node--) if (cluster.fits(c, node)) return node;
        return null;
      },
    };
    export default lastFeasible;
  `,
  // Score form: fewest containers running on the node (ties → lowest index, by the engine).
  "fewest-running.ts": `
    import type { ScorePolicy, ClusterView, Container } from "schedsim";
    interface Counted { readonly running: Int32Array }
    const score = (_c: Container, node: number, cluster: ClusterView & Counted): number => -cluster.running[node]!;
    const policy: ScorePolicy = { name: "fewest-running", family: "spreading", score };
    export default policy;
  `,
  // Plain JavaScript, a factory with hooks: stick to the node of the last start while it fits.
  "sticky.js": `
    export default function sticky() {
      let last = -1;
      return {
        name: "sticky",
        select(c, cluster) {
          if (last >= 0 && cluster.fits(c, last)) return last;
          for (let n = 0; n < cluster.size; n++) if (cluster.fits(c, n)) return n;
          return null;
        },
        onStart(_c, node) { last = node; },
      };
    }
  `,
  // The loader's other accepted export: a named `policy`.
  "named-export.ts": `export const policy = { name: "named", select: (): number | null => null };`,
  "always-first.ts": `export default { name: "always-first", select: (): number => 0 };`,
  "out-of-range.ts": `export default { name: "beyond", select: (_c: unknown, cluster: { size: number }): number => cluster.size };`,
  "throws.ts": `
    export default {
      name: "thrower",
      select(c: { id: string }): number {
        if (c.id === "c2") throw new TypeError("cannot place " + c.id);
        return 0;
      },
    };
  `,
  "no-default.ts": `export const x: number = 1;`,
  "named-first-fit.ts": `export default { name: "first-fit", score: (_c: unknown, node: number): number => node };`,
  "named-dots.ts": `export default { name: "..", score: (): number => 1 };`,
  "named-summary.ts": `export default { name: "summary.csv", score: (): number => 1 };`,
  "both-forms.ts": `export default { name: "both", score: () => 1, select: () => 0 };`,
  "pure-not-boolean.ts": `export default { name: "p", pure: "yes", select: () => 0 };`,
  "syntax-error.ts": `export default { name: "broken", select( => 0 };`,
  "syntax-error.js": `export default {\n  name: "broken",\n  score( { return 1; }\n};\n`,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "schedsim-policy-"));
  for (const [name, text] of Object.entries(FILES)) await writeFile(file(name), text);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Three nodes of 2 cores; four 1-core containers that run past each other's arrivals.
const text = {
  cluster: "id,cpu,mem\na,2,2\nb,2,2\nc,2,2",
  workload: "id,arrival,duration,cpu,mem\nc0,0,100,1,1\nc1,1,100,1,1\nc2,2,100,1,1\nc3,3,100,1,1",
};
const placements = (source: PolicySource) => run(text, { policy: source }).lines;

describe("a user policy file", () => {
  it("in select form is loaded from a .ts path and obeyed", async () => {
    const p = await loadPolicyFile(file("last-feasible.ts"));
    expect(p.name).toBe("last-feasible");
    expect(p.file).toBe(file("last-feasible.ts"));
    // c0, c1 → c (the last node with room), then c is full: c2, c3 → b.
    expect(placements(p.source)).toEqual(["c0@c 0-100", "c1@c 1-101", "c2@b 2-102", "c3@b 3-103"]);
  });

  it("in score form is obeyed, ties going to the lowest index", async () => {
    const p = await loadPolicyFile(file("fewest-running.ts"));
    // c0: all run 0 → a. c1: b and c run 0 → b. c2 → c. c3: all run 1 → a.
    expect(placements(p.source)).toEqual(["c0@a 0-100", "c1@b 1-101", "c2@c 2-102", "c3@a 3-103"]);
  });

  it("in JavaScript, as a factory with an onStart hook, starts fresh in every run", async () => {
    const p = await loadPolicyFile(file("sticky.js"));
    // c0 → a (first feasible), c1 → a (sticky, a has 1 left), c2 → b (a full), c3 → b.
    const expected = ["c0@a 0-100", "c1@a 1-101", "c2@b 2-102", "c3@b 3-103"];
    expect(placements(p.source)).toEqual(expected);
    expect(placements(p.source)).toEqual(expected); // a second run does not inherit `last`
  });

  it("may export the policy as `policy` instead of default", async () => {
    const p = await loadPolicyFile(file("named-export.ts"));
    expect(p.name).toBe("named");
    // It never places anything, so nothing finishes (all four stay queued: unfinished).
    expect(run(text, { policy: p.source }).summary).toMatchObject({ finished: 0, unfinished: 4 });
  });

  it("is found by resolvePolicies from a path, beside built-in names and `all`", async () => {
    const got = await resolvePolicies(["worst-fit", file("last-feasible.ts"), "all"]);
    expect(got.map((p) => p.name)).toEqual(["worst-fit", "last-feasible", ...[...BUILTIN_POLICIES.keys()].filter((n) => n !== "worst-fit")]);
  });
});

describe("a policy that misbehaves stops the run with a PolicyError naming policy, container and time", () => {
  // Two 1-core nodes; containers of 1 core arriving at 0, 1, 2.
  const small = {
    cluster: "id,cpu,mem\na,1,1\nb,1,1",
    workload: "id,arrival,duration,cpu,mem\nc0,0,100,1,1\nc1,1,100,1,1\nc2,2,100,1,1",
  };
  const failure = async (name: string): Promise<PolicyError> => {
    const p = await loadPolicyFile(file(name));
    try {
      run(small, { policy: p.source });
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      return err as PolicyError;
    }
    throw new Error("the run did not fail");
  };

  it("an infeasible node", async () => {
    // c0 → a at 0; c1 at 1 is sent to a again, which is full.
    const e = await failure("always-first.ts");
    expect([e.policy, e.container, e.time]).toEqual(["always-first", "c1", 1]);
    expect(e.message).toBe('policy "always-first" at t=1, container "c1": returned node 0 ("a"), which cannot hold the container now');
  });

  it("an index out of range", async () => {
    const e = await failure("out-of-range.ts");
    expect(e.message).toBe('policy "beyond" at t=0, container "c0": returned node index 2, out of range 0..1');
  });

  it("an exception", async () => {
    // One roomy node: c0 and c1 go to node 0 as answered; the policy throws at c2, at t=2.
    const p = await loadPolicyFile(file("throws.ts"));
    let error: unknown;
    try {
      run({ cluster: "id,cpu,mem\na,9,9", workload: small.workload }, { policy: p.source });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PolicyError);
    expect((error as Error).message).toBe('policy "thrower" at t=2, container "c2": threw TypeError: cannot place c2');
  });
});

describe("loading refuses, with an OptionError naming the file", () => {
  it.each([
    ["missing.ts", /policy file .*missing\.ts does not exist/],
    ["no-default.ts", /no-default\.ts has no default export/],
    ["both-forms.ts", /both-forms\.ts: a policy has exactly one of/],
    ["pure-not-boolean.ts", /pure-not-boolean\.ts: "pure" must be true or false/],
    ["syntax-error.ts", /syntax-error\.ts could not be loaded/],
    // Node gives an imported module's SyntaxError no position: the loader finds it (line 3, column 19).
    ["syntax-error.js", /syntax-error\.js:3:19 could not be loaded: /],
  ])("%s", async (name, message) => {
    const attempt = loadPolicyFile(file(name));
    await expect(attempt).rejects.toBeInstanceOf(OptionError);
    await expect(attempt).rejects.toThrow(message);
  });

  it("two different policies of one name: their results would share a folder", async () => {
    const own = file("named-first-fit.ts");
    await expect(resolvePolicies([own, "first-fit"])).rejects.toThrow(`two policies are named "first-fit" (${own} and the built-in): their results would share a folder, so rename one`);
    await expect(resolvePolicies(["all", own])).rejects.toThrow(`two policies are named "first-fit" (the built-in and ${own})`);
    // The same policy named twice still runs once.
    expect((await resolvePolicies(["first-fit", "all", "first-fit"])).map((p) => p.name)).toEqual([...BUILTIN_POLICIES.keys()]);
    expect((await resolvePolicies([own, own])).map((p) => p.name)).toEqual(["first-fit"]);
  });

  it.each(["named-dots.ts", "named-summary.ts"])("%s: a name that cannot name the policy's results folder", async (name) => {
    await expect(resolvePolicies([file(name)])).rejects.toThrow(/cannot name its results folder/);
  });

  it("an unknown name, listing the known policies", async () => {
    await expect(resolvePolicies(["nope"])).rejects.toThrow(
      'unknown policy "nope": use one of first-fit, best-fit, worst-fit, balanced, dot-product, fastest, nearest, random, round-robin, "all", or the path of a .ts/.js policy file',
    );
  });
});
