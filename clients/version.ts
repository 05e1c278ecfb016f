/** Reported as client.version in the connect frame. */
export const SDK_VERSION = '0.1.0';
