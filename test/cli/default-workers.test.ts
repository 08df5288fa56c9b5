/**
 * The default worker count of `run --parallel`, on machines of any size: the core count is mocked,
 * so the rule is checked whatever machine runs the suite (the CLI test in parallel.test.ts sees only
 * this machine's cores, and with four policies cannot tell the rules apart on one core or on eight).
 */
import { afterEach, describe, expect, it, vi } from "vitest";

const machine = vi.hoisted(() => ({ cores: 2 }));
vi.mock("node:os", async (importOriginal) => {
  const os = await importOriginal<typeof import("node:os")>();
  const availableParallelism = () => machine.cores;
  return { ...os, default: { ...os, availableParallelism }, availableParallelism };
});

const { defaultWorkers } = await import("../../src/cli/parallel.ts");

afterEach(() => {
  machine.cores = 2;
});

describe("defaultWorkers", () => {
  it.each([
    [1, 0, 1],
    [2, 1, 2],
    [3, 1, 3],
    [8, 4, 8],
    [64, 32, 64],
  ])("on %i cores: %i with files to write (one per two cores), %i with only the summaries (one per core)", (cores, withFiles, summariesOnly) => {
    machine.cores = cores;
    expect(defaultWorkers(true)).toBe(withFiles);
    expect(defaultWorkers(false)).toBe(summariesOnly);
  });
});
