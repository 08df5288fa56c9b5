// Entry of a worker thread of `schedsim run --parallel`: registers tsx in this thread (module
// hooks are per thread), then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./policy-worker.ts");
