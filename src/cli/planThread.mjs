// A worker thread of `slicebench plan` (src/cli/threadPool.ts): registers tsx, as bin/slicebench.mjs does, so the
// thread can load the TypeScript sources, then runs planThread.ts.
import { register } from 'tsx/esm/api';

register();
await import('./planThread.ts');
