// Bundles the CLI into dist/ so `npx handoff` starts without resolving hundreds of
// modules. Runs from `npm install` (prepare), `npm run build` and before every vitest run.
import { bundle } from './bundle.mjs';

await bundle({ handoff: 'src/handoff.ts' }, 'dist');
