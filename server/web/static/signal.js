// The phone's WebSocket to the server: queue updates, signalling, location and safety ticks.

// Retries wait longer each time, up to a cap, and at a random point in the upper half of that wait: after
// a server restart every page retries at once otherwise, and each wave lands on the server together.
export const BACKOFF_CAP_S = 30;

export function backoffS(attempt, baseS = 1) {
  const ceiling = Math.min(BACKOFF_CAP_S, baseS * 2 ** Math.max(0, attempt));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

export class PhoneSocket {
  constructor(token, { onMessage, onClose }) {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    this.url = `${scheme}//${location.host}/ws/phone/${encodeURIComponent(token)}`;
    Object.assign(this, { onMessage, onClose });
    this.ws = null;
  }

  get isOpen() { return !!this.ws && this.ws.readyState === WebSocket.OPEN; }

  // Resolves when open; rejects if the socket closes first.
  connect() {
    this.disconnect();
    const ws = new WebSocket(this.url);
    this.ws = ws;
    return new Promise((resolve, reject) => {
      let opened = false;
      ws.onopen = () => { opened = true; resolve(); };
      ws.onmessage = (e) => {
        let msg;
        try { msg = JSON.parse(e.data); } catch (err) { return; }
        if (msg && typeof msg.type === "string") this.onMessage(msg);
      };
      ws.onclose = (e) => {
        if (this.ws !== ws) return;  // an old socket we replaced on purpose
        this.ws = null;
        if (!opened) reject(new Error(`socket closed (${e.code})`));
        this.onClose(e.code);
      };
    });
  }

  send(obj) {
    if (!this.isOpen) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  disconnect() {
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.close(1000);
  }
}
