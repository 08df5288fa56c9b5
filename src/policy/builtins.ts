import type { PolicySource } from "./types.ts";
import firstFit from "../../policies/first-fit.ts";
import bestFit from "../../policies/best-fit.ts";
import worstFit from "../../policies/worst-fit.ts";
import balanced from "../../policies/balanced.ts";
import dotProduct from "../../policies/dot-product.ts";
import fastest from "../../policies/fastest.ts";
import nearest from "../../policies/nearest.ts";
import random from "../../policies/random.ts";
import roundRobin from "../../policies/round-robin.ts";

/** The built-in policies by name, in the order `--policy all` runs them. */
export const BUILTIN_POLICIES: ReadonlyMap<string, PolicySource> = new Map<string, PolicySource>([
  ["first-fit", firstFit],
  ["best-fit", bestFit],
  ["worst-fit", worstFit],
  ["balanced", balanced],
  ["dot-product", dotProduct],
  ["fastest", fastest],
  ["nearest", nearest],
  ["random", random],
  ["round-robin", roundRobin],
]);
