// One WebRTC call to the seat. The phone always offers. With trickle (the server's ice_trickle, on by
// default) the offer goes out at once and each candidate follows as it is gathered, then an empty one
// for end-of-candidates; without it the offer waits for gathering and carries every candidate. The
// seat's aiortc does not trickle: its answer carries all of its own candidates. aiortc cannot restart
// ICE, so a dropped call is never repaired: the page makes a new CallLink for the same case.

const GATHER_TIMEOUT_MS = 5000;
const DISCONNECTED_GRACE_MS = 5000;
const CONNECT_TIMEOUT_MS = 20000;  // the seat never answered, or ICE never connected

function preferVp8(transceiver) {
  if (!transceiver.setCodecPreferences || !window.RTCRtpReceiver || !RTCRtpReceiver.getCapabilities) return;
  const codecs = RTCRtpReceiver.getCapabilities("video").codecs;
  const vp8 = codecs.filter((c) => /\/vp8$/i.test(c.mimeType));
  if (!vp8.length) return;
  try {
    transceiver.setCodecPreferences([...vp8, ...codecs.filter((c) => !/\/vp8$/i.test(c.mimeType))]);
  } catch (err) {
    console.info("setCodecPreferences refused", err);
  }
}

function waitForGathering(pc) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); pc.removeEventListener("icegatheringstatechange", check); resolve(); };
    const check = () => { if (pc.iceGatheringState === "complete") done(); };
    const timer = setTimeout(done, GATHER_TIMEOUT_MS);
    pc.addEventListener("icegatheringstatechange", check);
  });
}

export class CallLink {
  // onLost(reason) fires once when the connection is gone for good; onMessage(obj) for data-channel JSON.
  // iceTransportPolicy "relay" (the server's ice_transport_policy) sends every packet through TURN.
  constructor({ iceServers, iceTransportPolicy, trickle, stream, sendSignal, onMessage, onLost, onConnected,
                remoteAudio }) {
    Object.assign(this, { sendSignal, onMessage, onLost, onConnected, remoteAudio });
    this.trickle = !!trickle;
    this.pc = new RTCPeerConnection({ iceServers: iceServers || [], iceTransportPolicy: iceTransportPolicy || "all" });
    this._unsent = [];  // candidates gathered before the offer went out
    this.pc.onicecandidate = (e) => this._onCandidate(e.candidate);
    this.channel = this.pc.createDataChannel("control");
    this.channel.onmessage = (e) => this._onChannelMessage(e.data);
    this.audioTx = this.pc.addTransceiver(stream.getAudioTracks()[0], { direction: "sendrecv", streams: [stream] });
    this.videoTx = this.pc.addTransceiver(stream.getVideoTracks()[0], { direction: "sendonly", streams: [stream] });
    preferVp8(this.videoTx);
    this.pc.ontrack = (e) => this._onTrack(e);
    this.lost = false;
    this.connectedAt = 0;
    this._disconnectedSince = 0;
    this._watch = setInterval(() => this._checkHealth(), 1000);
  }

  async offer() {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    if (!this.trickle) await waitForGathering(this.pc);
    this.offerSentAt = performance.now();
    this.sendSignal({ sdp: { type: "offer", sdp: this.pc.localDescription.sdp } });
    const unsent = this._unsent;
    this._unsent = null;
    unsent.forEach((c) => this._sendCandidate(c));
  }

  // null is end-of-candidates, sent as an empty candidate (the signal frame needs an object).
  _onCandidate(candidate) {
    if (!this.trickle || this.lost) return;
    if (this._unsent) this._unsent.push(candidate);
    else this._sendCandidate(candidate);
  }

  _sendCandidate(candidate) {
    const c = candidate ? candidate.toJSON() : { candidate: "", sdpMid: null, sdpMLineIndex: null };
    this.sendSignal({ candidate: c });
  }

  async onSignal(msg) {
    if (msg.sdp && msg.sdp.type === "answer") {
      await this.pc.setRemoteDescription(msg.sdp);
      await this.keepResolution();
    } else if (msg.candidate) {
      await this.pc.addIceCandidate(msg.candidate).catch((err) => console.info("candidate refused", err));
    }
  }

  // Plates must stay readable: under a bandwidth squeeze drop frames, not pixels.
  async keepResolution() {
    const sender = this.videoTx.sender;
    try {
      const params = sender.getParameters();
      if (!params.encodings || !params.encodings.length) params.encodings = [{}];
      params.degradationPreference = "maintain-resolution";
      await sender.setParameters(params);
    } catch (err) {
      console.info("setParameters(degradationPreference) refused", err);
    }
  }

  async replaceVideo(track) {
    await this.videoTx.sender.replaceTrack(track);
    await this.keepResolution();
  }

  send(obj) {
    if (this.channel.readyState !== "open") return false;
    this.channel.send(JSON.stringify(obj));
    return true;
  }

  _onChannelMessage(raw) {
    let msg;
    try { msg = JSON.parse(raw); } catch (err) {
      this.send({ type: "reply", id: null, ok: false, error: "bad_json", message: "not JSON" });
      return;
    }
    if (!msg || typeof msg !== "object") return;
    this.onMessage(msg);
  }

  _onTrack(e) {
    if (e.track.kind === "audio" && this.remoteAudio) {
      this.remoteAudio.srcObject = e.streams[0] || new MediaStream([e.track]);
      this.remoteAudio.play().catch(() => {});
    }
  }

  _checkHealth() {
    const pc = this.pc;
    if (pc.signalingState === "closed" || pc.connectionState === "failed" || pc.connectionState === "closed") {
      this._lose(pc.connectionState === "failed" ? "failed" : "closed");
      return;
    }
    if (pc.connectionState === "connected") {
      if (!this.connectedAt) { this.connectedAt = performance.now(); this.onConnected && this.onConnected(); }
      this._disconnectedSince = 0;
    } else if (this.offerSentAt && performance.now() - this.offerSentAt > CONNECT_TIMEOUT_MS && !this.connectedAt) {
      this._lose("timeout");
    } else if (pc.connectionState === "disconnected") {
      this._disconnectedSince = this._disconnectedSince || performance.now();
      if (performance.now() - this._disconnectedSince > DISCONNECTED_GRACE_MS) this._lose("disconnected");
    }
  }

  _lose(reason) {
    if (this.lost) return;
    this.close();
    this.onLost(reason);
  }

  // {rtt_ms, width, height, fps} for the network-quality event.
  async quality() {
    const out = { rtt_ms: null, width: 0, height: 0, fps: 0 };
    const stats = await this.pc.getStats();
    stats.forEach((s) => {
      if (s.type === "candidate-pair" && s.nominated && s.currentRoundTripTime !== undefined) {
        out.rtt_ms = Math.round(s.currentRoundTripTime * 1000);
      }
      if (s.type === "outbound-rtp" && s.kind === "video") {
        out.width = s.frameWidth || 0; out.height = s.frameHeight || 0; out.fps = Math.round(s.framesPerSecond || 0);
      }
    });
    return out;
  }

  close() {
    this.lost = true;  // a deliberate close is not a loss
    clearInterval(this._watch);
    try { this.channel.close(); } catch (err) { /* already closed */ }
    try { this.pc.close(); } catch (err) { /* already closed */ }
  }
}
