/** The gateway's port when neither the config, OPENCLAW_GATEWAY_PORT nor --port names one. */
export const DEFAULT_PORT = 18789;
