/** Defaults shared by the local runtime, the build and the tests. */

/** Where `npm start` serves the Worker and the PWA. */
export const LOCAL_APP_ORIGIN = 'http://127.0.0.1:8787';

/** The local media edge's SIP-over-WebSocket listener (matches wrangler.toml's EDGE_WS_URL). */
export const LOCAL_EDGE_WS_URL = 'ws://127.0.0.1:5066';
