// The phone's camera and microphone: open, switch between back and front, take a full-resolution
// photo, torch. iOS needs the old video track stopped before the other camera opens; fake and some
// real cameras report no facingMode, so facingMode is only ever "ideal" and deviceId is the fallback.

const WANT = { width: { ideal: 1920 }, height: { ideal: 1080 }, frameRate: { ideal: 30 } };

function videoConstraints(facing, deviceId) {
  return deviceId ? { ...WANT, deviceId: { exact: deviceId } } : { ...WANT, facingMode: { ideal: facing } };
}

export class CommandFailure extends Error {
  constructor(code, message) { super(message); this.code = code; }
}

export class Camera {
  // options.canvasFront: the "front camera" is a canvas track (tests: fake devices stall on a second camera).
  constructor({ canvasFront = false } = {}) {
    this.canvasFront = canvasFront;
    this.stream = null;        // holds the audio track and the current video track
    this.facing = "environment";
    this._canvasTimer = null;
  }

  get videoTrack() { return this.stream ? this.stream.getVideoTracks()[0] || null : null; }
  get audioTrack() { return this.stream ? this.stream.getAudioTracks()[0] || null : null; }

  async open() {
    const audio = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio, video: videoConstraints("environment") });
    } catch (err) {
      if (err.name !== "OverconstrainedError") throw err;
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    }
    this.facing = "environment";
    return this.stream;
  }

  isLive() {
    const v = this.videoTrack, a = this.audioTrack;
    return !!(v && a && v.readyState === "live" && a.readyState === "live" && !v.muted);
  }

  size() {
    const s = this.videoTrack ? this.videoTrack.getSettings() : {};
    return { width: s.width || 0, height: s.height || 0 };
  }

  // Replaces the video track; returns the new one. The caller hands it to the RTP sender.
  async switchTo(facing) {
    if (facing !== "environment" && facing !== "user") throw new CommandFailure("bad_args", "facing 必须是 environment 或 user");
    const old = this.videoTrack;
    const oldDevice = old && old.getSettings().deviceId;
    if (old) { old.stop(); this.stream.removeTrack(old); }
    this._stopCanvas();
    let track;
    try {
      track = await this._openVideo(facing, oldDevice);
    } catch (err) {
      track = await this._openVideo(this.facing, null).catch(() => null);  // keep the call's picture if we can
      if (track) this.stream.addTrack(track);
      throw new CommandFailure("camera_unavailable", `无法切换摄像头：${err.name || err}`);
    }
    this.stream.addTrack(track);
    this.facing = facing;
    return track;
  }

  async reopenVideo() {
    const old = this.videoTrack;
    if (old) { old.stop(); this.stream.removeTrack(old); }
    const track = await this._openVideo(this.facing, null);
    this.stream.addTrack(track);
    return track;
  }

  async _openVideo(facing, avoidDevice) {
    if (facing === "user" && this.canvasFront) return this._canvasTrack();
    const s = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(facing) });
    let track = s.getVideoTracks()[0];
    const got = track.getSettings();
    const wrong = got.facingMode ? got.facingMode !== facing : (avoidDevice && got.deviceId === avoidDevice);
    if (wrong) {
      const other = await this._otherDevice(facing, got.deviceId);
      if (other) {
        track.stop();
        track = (await navigator.mediaDevices.getUserMedia({ video: videoConstraints(facing, other) })).getVideoTracks()[0];
      }
    }
    return track;
  }

  async _otherDevice(facing, currentId) {
    const cams = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    const hint = facing === "user" ? /front|user|前/i : /back|rear|environment|后/i;
    const byLabel = cams.find((d) => d.deviceId !== currentId && hint.test(d.label));
    const any = cams.find((d) => d.deviceId !== currentId);
    return (byLabel || any || {}).deviceId || null;
  }

  _canvasTrack() {
    const canvas = document.createElement("canvas");
    canvas.width = 1280; canvas.height = 720;
    const g = canvas.getContext("2d");
    let n = 0;
    const draw = () => {
      g.fillStyle = "#1f8f3a"; g.fillRect(0, 0, 1280, 720);
      g.fillStyle = "#fff"; g.font = "bold 96px sans-serif"; g.fillText("FRONT CAMERA", 260, 330);
      g.fillStyle = "#ffd400"; g.fillRect((n * 12) % 1280, 600, 120, 60);
      n += 1;
    };
    draw();
    this._canvasTimer = setInterval(draw, 33);
    return canvas.captureStream(30).getVideoTracks()[0];
  }

  _stopCanvas() {
    if (this._canvasTimer) clearInterval(this._canvasTimer);
    this._canvasTimer = null;
  }

  // A still at the camera's full resolution: ImageCapture where it exists, else the current frame via a canvas.
  async takePhoto(videoEl) {
    const track = this.videoTrack;
    if (!track || track.readyState !== "live") throw new CommandFailure("camera_unavailable", "摄像头未打开");
    if (typeof ImageCapture !== "undefined" && !this._canvasTimer) {
      try {
        const blob = await new ImageCapture(track).takePhoto();
        if (blob && blob.size > 0) return blob;
      } catch (err) {
        console.info("ImageCapture failed, using a canvas", err);
      }
    }
    return this._canvasStill(videoEl);
  }

  async _canvasStill(videoEl) {
    const w = videoEl.videoWidth, h = videoEl.videoHeight;
    if (!w || !h) throw new CommandFailure("camera_unavailable", "还没有画面");
    const canvas = document.createElement("canvas");
    canvas.width = w; canvas.height = h;
    canvas.getContext("2d").drawImage(videoEl, 0, 0, w, h);
    return new Promise((resolve, reject) => canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new CommandFailure("photo_failed", "无法生成照片"))), "image/jpeg", 0.92));
  }

  async torch(on) {
    const track = this.videoTrack;
    const caps = track && track.getCapabilities ? track.getCapabilities() : {};
    if (!caps.torch) throw new CommandFailure("unsupported", "这部手机或当前摄像头不支持手电筒");
    await track.applyConstraints({ advanced: [{ torch: !!on }] });
    return { on: !!on };
  }

  stop() {
    this._stopCanvas();
    if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }
}
