// Entry of the timeline writer thread of `schedsim run`: registers tsx in this thread (module
// hooks are per thread), then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./timeline-worker.ts");
