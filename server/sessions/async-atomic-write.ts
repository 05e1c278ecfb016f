// Kept so existing imports keep working: the one implementation lives in state/atomic-file.ts.
export { writeFileAtomicAsync } from '../state/atomic-file.js';
