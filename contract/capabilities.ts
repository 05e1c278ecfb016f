// Capability names a gateway lists in hello-ok `features.capabilities` (zod-free: the browser SDK imports it).

/** The gateway aborts a pending request on a `{type:"cancel", id}` frame (upstream 2026.9 answers such a frame as a malformed request). */
export const CANCEL_FRAMES_CAPABILITY = 'request-cancel';
