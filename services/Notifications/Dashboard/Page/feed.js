// The event feed (server-sent events of /v1/events:stream) read with fetch rather than EventSource: the token goes in
// the Authorization header (never in an address that servers log), and a reconnection after a network cut sends the
// position of the last event or heartbeat received as Last-Event-ID, so nothing is lost or repeated.

import { apiUrl, authorization } from './api.js';

const outOfRange = 11;
const permissionDenied = 7;
const unauthenticated = 16;

export class Feed {
  #lastPosition = null; // the last event or heartbeat position received (a string: int64 in JSON)
  #retryMs = 2000;
  #controller = null;
  #generation = 0; // each start() runs one loop; an older loop sees a newer generation and ends
  #watchdog = 0;

  /**
   * @param handlers onEvent(envelope) for each event, once, in position order; onOpen(resumed) when a stream starts
   *   (resumed: false when nothing can be resumed and the page should reload its data); onStatus(state, detail);
   *   onUnauthorized() when the token is refused.
   */
  constructor(handlers) {
    this.handlers = handlers;
  }

  start() {
    this.#generation += 1;
    this.#run(this.#generation);
  }

  stop() {
    this.#generation += 1;
    this.#controller?.abort();
  }

  /** Drops the connection as a network cut would (the next connection resumes). */
  interrupt() {
    this.#controller?.abort();
  }

  async #run(generation) {
    const current = () => generation === this.#generation;
    let failures = 0;
    while (current()) {
      const resumed = this.#lastPosition !== null;
      try {
        await this.#readStream(resumed);
        failures = 0;
      } catch (error) {
        if (error instanceof FeedRefused) {
          if (error.code === outOfRange) {
            this.#lastPosition = null; // too old to resume: live from now, and the page reloads its data
          } else if (error.code === unauthenticated || error.code === permissionDenied) {
            this.handlers.onStatus('refused', error.message);
            this.handlers.onUnauthorized?.();
            return;
          }
        }
        failures += 1;
      }
      if (!current()) return;
      this.handlers.onStatus('reconnecting');
      // The server's retry delay, longer after repeated failures (at most 10 s).
      await delay(Math.min(this.#retryMs * 2 ** Math.max(0, failures - 1), 10000));
    }
  }

  async #readStream(resumed) {
    this.#controller = new AbortController();
    const headers = { Accept: 'text/event-stream', ...authorization() };
    if (resumed) headers['Last-Event-ID'] = this.#lastPosition;
    const response = await fetch(apiUrl('notifications', '/v1/events:stream'), {
      headers, cache: 'no-store', signal: this.#controller.signal,
    });
    if (!response.ok) {
      let status = null;
      try { status = await response.json(); } catch { /* not a google.rpc.Status body */ }
      throw new FeedRefused(status?.code ?? (response.status === 401 ? unauthenticated : 0), status?.message ?? `HTTP ${response.status}`);
    }

    this.handlers.onStatus('connected');
    this.handlers.onOpen(resumed);
    this.#armWatchdog();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let message = newMessage();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.#armWatchdog();
        buffer += value;
        let newline;
        while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
          if (line === '') {
            this.#dispatch(message);
            message = newMessage();
          } else {
            readField(line, message);
          }
        }
      }
    } finally {
      clearTimeout(this.#watchdog);
      this.#controller.abort();
    }
  }

  #dispatch(message) {
    if (message.retry !== null) this.#retryMs = message.retry;
    if (message.data === '') return;
    const payload = JSON.parse(message.data);
    if (message.event === 'error') {
      throw new FeedRefused(payload.code ?? 0, payload.message ?? 'feed error');
    }
    if (message.event === 'event') {
      // A repeat (never expected from the server) is dropped: positions only grow.
      if (this.#lastPosition !== null && BigInt(payload.position) <= BigInt(this.#lastPosition)) return;
      this.handlers.onEvent(payload);
    }
    if (message.id !== null) this.#lastPosition = message.id;
  }

  // Heartbeats come every 15 s by default; a connection silent for a minute is dead even if no error says so.
  #armWatchdog() {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => this.#controller?.abort(), 60000);
  }
}

class FeedRefused extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const newMessage = () => ({ id: null, event: 'message', data: '', retry: null });

function readField(line, message) {
  if (line.startsWith(':')) return; // a comment
  const colon = line.indexOf(':');
  const field = colon < 0 ? line : line.slice(0, colon);
  let value = colon < 0 ? '' : line.slice(colon + 1);
  if (value.startsWith(' ')) value = value.slice(1);
  switch (field) {
    case 'id': message.id = value; break;
    case 'event': message.event = value; break;
    case 'data': message.data = message.data === '' ? value : `${message.data}\n${value}`; break;
    case 'retry': if (/^\d+$/.test(value)) message.retry = Number(value); break;
    default: break;
  }
}

const delay = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });
