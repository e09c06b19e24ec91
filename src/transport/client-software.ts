/** Sent in ApiVersions v3+ so brokers can tell clients apart in their metrics (KIP-511). */
export const CLIENT_SOFTWARE_NAME = 'kafka-rx';

/** Kept equal to package.json's version (a test checks it). */
export const CLIENT_SOFTWARE_VERSION = '0.1.0';
