/** The public API for writing a policy: types, the score building blocks and resource constants. */
export * from "./types.ts";
export * from "./scores.ts";
export { CPU, MEM, GPU, MICRO, toMicro, fromMicro } from "../model/resources.ts";
