// Entry of the output writer thread of `schedsim run`: registers tsx in this thread (module
// hooks are per thread), then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./output-worker.ts");
