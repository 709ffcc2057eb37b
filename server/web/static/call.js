// The call page behind a party link: checks -> queue (safety ticks, location) -> video call ->
// interrupted (继续处理, with automatic retries) -> ended. One action per screen.
// The video is peer to peer: when the server's socket drops mid-call the call goes on, and the socket
// comes back by itself (backoff with jitter). Rejoining then re-queues the case for its seat (the hub's
// rule: aiortc cannot restart ICE), and the call carries on until the seat's new answer replaces it.
import { environmentProblem, locationErrorHelp, mediaErrorHelp } from "./checks.js";
import { Camera } from "./media.js";
import { handleChannelMessage, makeCommands } from "./commands.js";
import { CallLink } from "./rtc.js";
import { PhoneSocket, backoffS } from "./signal.js";

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").pop());
const params = new URLSearchParams(location.search);
const RETRY_BASE_S = 4;  // 继续处理 by itself after about 2-4, 4-8, 8-16, then 15-30 s
const SOCKET_RETRY_BASE_S = 1;  // the socket under a live call or in the queue: about 0.5-1, 1-2, 2-4 ... 15-30 s
const OPEN_STATES = ["queued", "interrupted", "in_call", "collecting"];
const QUALITY_EVERY_MS = 5000;
const LOCATION_EVERY_MS = 3000;

const SERVER_AWAY = "与服务器的连接中断了，视频通话仍在继续，请按坐席的指示操作。正在自动重新连接…";
const QUEUE_AWAY = "与服务器的连接中断了，正在自动重新连接。您的排队位置会保留，请不要关闭页面。";
const SEAT_RECONNECTING = "已重新连上服务器。坐席正在重新接通视频，请稍候，不要关闭页面。";

const ENDED = {
  escalated: ["已转现场处理", "民警将尽快赶到现场。请在安全的地方等候，注意来往车辆。"],
  awaiting_liability: ["信息已采集完成", "请立即驾车撤离现场，恢复交通。责任认定结果会通过短信发给您。"],
  determined: ["责任已认定", "认定书已通过短信发送给您，请查看短信中的链接。"],
  closed: ["案件已办结", "如有疑问，请查看短信中的链接。"],
  abandoned: ["已退出排队", "如仍需处理，请重新打开短信链接，或拨打 122。"],
  left: ["已结束视频处理", "如仍需处理，请重新打开短信链接，或拨打 122。"],
  replaced: ["已在其他页面打开", "本案件已在另一个页面或另一部手机上打开，请使用最新打开的那个页面。"],
  revoked: ["链接已失效", "工作人员已撤销这个链接。如仍需处理，请拨打 122。"],
  completed: ["通话已结束", "请按坐席的指示，立即撤离现场。"],
  operator: ["通话已结束", "坐席已结束通话，处理结果会通过短信发送给您。"],
};
const GIVE_UP_CODES = ["unauthorized", "not_found"];

const app = {
  camera: new Camera({ canvasFront: params.get("test_front_camera") === "canvas" }),
  socket: null, call: null, phase: "loading", retries: 0, retryTimer: null,
  socketRetries: 0, socketTimer: null, callNotice: "",
  geoWatch: null, lastFix: null, lastSentFix: 0, qualityTimer: null, iceServers: [], icePolicy: "all", iceTrickle: true, firstOfferAt: 0,
};
window.kuaichu = app;  // a handle for debugging in the field and for the browser tests

// --- screens ------------------------------------------------------------------------
function show(name) {
  document.querySelectorAll(".screen").forEach((s) => s.classList.toggle("active", s.id === `screen-${name}`));
  $("topbar").hidden = name === "call";
  app.phase = name;
}

function fillSteps(list, steps) {
  list.replaceChildren(...(steps || []).map((text) => Object.assign(document.createElement("li"), { textContent: text })));
}

function showProblem({ title, text, steps }, retry = null) {
  stopRetry();
  $("problem-title").textContent = title;
  $("problem-text").textContent = text;
  fillSteps($("problem-steps"), steps);
  $("problem-retry").hidden = !retry;
  $("problem-retry").onclick = retry;
  show("problem");
}

// keepSocketMs: the seat's `end` command arrives before its hangup reaches the server; the socket
// stays open that long so that closing it is not mistaken for a dropped call.
function finish(reason, keepSocketMs = 0) {
  teardownCall();
  stopRetry();
  stopSocketRetry();
  if (app.geoWatch !== null) navigator.geolocation.clearWatch(app.geoWatch);
  app.geoWatch = null;
  app.camera.stop();
  const socket = app.socket;
  if (socket && keepSocketMs) setTimeout(() => socket.disconnect(), keepSocketMs);
  else if (socket) socket.disconnect();
  const [title, text] = ENDED[reason] || ENDED.operator;
  $("ended-title").textContent = title;
  $("ended-text").textContent = text;
  show("ended");
}

async function api(method, path, body) {
  let response;
  try {
    response = await fetch(path, body instanceof FormData ? { method, body } : {
      method, headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : undefined,
    });
  } catch (err) {
    throw new Error("网络连接失败，请检查手机网络（移动数据或 Wi-Fi）后重试。");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.message || `服务器暂时无法处理（${response.status}），请稍后重试。`);
    error.code = data.error;
    throw error;
  }
  return data;
}

// --- start, consent, checks -------------------------------------------------------
async function start() {
  const problem = environmentProblem();
  if (problem) return showProblem(problem);
  let info;
  try {
    info = await api("GET", `/api/phone/${encodeURIComponent(token)}`);
  } catch (err) {
    return showProblem({ title: "无法打开这个链接", text: err.message, steps: [] }, () => location.reload());
  }
  $("case-number").textContent = `案件号 ${info.case_number}`;
  app.iceServers = info.ice_servers || [];
  app.icePolicy = info.ice_transport_policy || "all";
  app.iceTrickle = info.ice_trickle !== false;
  restoreTicks(info.safety || {});
  if (!OPEN_STATES.includes(info.state)) return finish(info.state);
  if (sessionStorage.getItem(`kc-consent:${token}`)) show("checks");
  else show("consent");
}

function onConsent() {
  if (!$("consent").checked) {
    $("consent-error").textContent = "请先勾选同意录音录像，才能进行视频处理。";
    return;
  }
  sessionStorage.setItem(`kc-consent:${token}`, "1");
  show("checks");
}

function mark(name, status, fixText = "", steps = []) {
  const li = $(`check-${name}`);
  li.className = status;
  li.querySelector(".mark").textContent = { ok: "✓", bad: "✗", warn: "!", wait: "…" }[status];
  const fix = li.querySelector(".fix");
  fix.textContent = fixText;
  if (steps.length) {
    const ol = document.createElement("ol");
    ol.className = "steps";
    fillSteps(ol, steps);
    fix.appendChild(ol);
  }
}

async function runChecks() {
  $("checks-run").disabled = true;
  $("checks-join").hidden = true;
  $("remote-audio").play().catch(() => {});  // unlocks audio playback on iOS while we have a tap
  app.camera.stop();  // a re-run must not leave the first attempt's camera on
  mark("camera", "wait", "正在打开…");
  mark("microphone", "wait");
  mark("location", "wait", "正在定位…");
  const media = await app.camera.open().then(() => null, (err) => err);
  if (media) {
    const help = mediaErrorHelp(media);
    mark("camera", "bad", help.text, help.steps);
    mark("microphone", "bad", "摄像头和麦克风需要一起允许。");
  } else {
    mark("camera", "ok", `已打开（${app.camera.size().width}×${app.camera.size().height}）`);
    mark("microphone", "ok", "已打开");
  }
  const geo = await locateOnce();
  if (geo.ok) mark("location", "ok", `已定位（精度约 ${Math.round(geo.fix.accuracy)} 米）`);
  else mark("location", "warn", geo.help.text, geo.help.steps);
  $("checks-run").disabled = false;
  $("checks-run").textContent = "重新检测";
  if (media) return;
  if (geo.ok) return join();
  $("checks-join").hidden = false;  // location helps but must never keep a driver from help
}

function locateOnce() {
  if (!navigator.geolocation) return Promise.resolve({ ok: false, help: locationErrorHelp({ code: 2 }) });
  return new Promise((resolve) => navigator.geolocation.getCurrentPosition(
    (pos) => { app.lastFix = pos.coords; resolve({ ok: true, fix: pos.coords }); },
    (err) => resolve({ ok: false, help: locationErrorHelp(err) }),
    { enableHighAccuracy: true, timeout: 10000, maximumAge: 30000 },
  ));
}

// --- the queue -----------------------------------------------------------------------
async function join() {
  show("waiting");
  $("waiting-preview").srcObject = app.camera.stream;
  watchLocation();
  try {
    await connectSocket();
  } catch (err) {
    connectionLost("network");
  }
}

async function connectSocket() {
  app.socket = app.socket || new PhoneSocket(token, { onMessage, onClose: onSocketClose });
  await app.socket.connect();
  app.socketRetries = 0;
  $("waiting-away").hidden = true;
  sendJoin();
}

function sendJoin() {
  app.socket.send({ type: "join", consent: true });
  if (app.lastFix) sendFix(app.lastFix, true);
  sendTicks();
}

function showQueue({ position, estimated_wait_s: wait }) {
  $("queue-line").textContent = position <= 1 ? "下一位就是您，请保持在这个页面" : `前面还有 ${position - 1} 位`;
  $("queue-position").textContent = `第 ${position} 位`;
  $("queue-wait").textContent = wait < 60 ? "马上就到您" : `预计等待约 ${Math.ceil(wait / 60)} 分钟`;
}

function watchLocation() {
  if (!navigator.geolocation || app.geoWatch !== null) return;
  app.geoWatch = navigator.geolocation.watchPosition(
    (pos) => { app.lastFix = pos.coords; sendFix(pos.coords, false); },
    () => { $("location-line").textContent = "暂时无法定位。接通后请告诉坐席您的具体位置。"; },
    { enableHighAccuracy: true, maximumAge: 5000 },
  );
}

function sendFix(c, force) {
  const now = Date.now();
  if (!force && now - app.lastSentFix < LOCATION_EVERY_MS) return;
  if (app.socket && app.socket.send({ type: "location", lat: c.latitude, lon: c.longitude, accuracy: c.accuracy })) {
    app.lastSentFix = now;
    $("location-line").textContent = `已发送您的位置（精度约 ${Math.round(c.accuracy)} 米）`;
  }
}

function currentTicks() {
  const ticks = {};
  document.querySelectorAll("label.tick[data-tick]").forEach((row) => { ticks[row.dataset.tick] = row.querySelector("input").checked; });
  return ticks;
}

function restoreTicks(saved) {
  document.querySelectorAll("label.tick[data-tick]").forEach((row) => {
    const on = !!saved[row.dataset.tick];
    row.querySelector("input").checked = on;
    row.classList.toggle("done", on);
  });
}

function sendTicks() {
  if (app.socket) app.socket.send({ type: "safety", ticks: currentTicks() });
}

// --- server messages ------------------------------------------------------------------
const handlers = {
  state: ({ state }) => onState(state),
  queue: onQueue,
  answered: (m) => startCall(m).catch((err) => { console.warn("call failed to start", err); connectionLost("failed"); }),
  signal: (m) => app.call && app.call.onSignal(m).catch((err) => console.warn("bad signal", err)),
  instruction: ({ text }) => showInstruction(text),
  ended: ({ reason }) => (app.phase === "ended" ? app.socket && app.socket.disconnect() : finish(reason)),
  error: onServerError,
};

function onMessage(msg) {
  const handler = handlers[msg.type];
  if (handler) handler(msg);
}

function onState(state) {
  if (state === "queued" && app.phase === "call") {  // our rejoin re-queued the case; this call lasts until the next answer
    setCallNotice(SEAT_RECONNECTING);
  } else if (state === "queued" && ["interrupted", "waiting", "checks"].includes(app.phase)) {
    app.retries = 0;
    stopRetry();
    show("waiting");
    $("waiting-preview").srcObject = app.camera.stream;
  } else if (!OPEN_STATES.includes(state)) {
    finish(state);
  }
}

// A place in the queue means the case is queued, even when no state change said so (a retry that joined
// a case already queued again).
function onQueue(place) {
  if (app.phase === "interrupted") onState("queued");
  showQueue(place);
}

function onServerError({ code, message }) {
  if (GIVE_UP_CODES.includes(code)) {
    showProblem({ title: "无法继续处理", text: message, steps: ["如仍需处理，请拨打 122"] });
  } else {
    console.warn("server:", code, message);
  }
}

function onSocketClose(code) {
  if (["ended", "problem"].includes(app.phase)) return;
  if (code >= 4400 && code < 4500 && code !== 4429) return;  // refused: the error frame said why
  if (app.phase === "call" && app.call && !app.call.lost) return serverAway();
  if (app.phase === "waiting") return queueAway();
  connectionLost("network");
}

// --- the server away under a live call, or while waiting in the queue ---------------------
function serverAway() {
  setCallNotice(SERVER_AWAY);
  retrySocket();
}

// Nothing was lost while waiting: the case keeps its place, so the page stays on the queue screen,
// says the server is away, and joins again as soon as its socket is back (no 继续处理 to tap).
function queueAway() {
  const away = $("waiting-away");
  away.textContent = QUEUE_AWAY;
  away.hidden = false;
  retrySocket();
}

function retrySocket() {
  stopSocketRetry();
  app.socketTimer = setTimeout(reconnectSocket, backoffS(app.socketRetries, SOCKET_RETRY_BASE_S) * 1000);
  app.socketRetries += 1;
}

async function reconnectSocket() {
  app.socketTimer = null;
  if (!["call", "waiting"].includes(app.phase) || (app.socket && app.socket.isOpen)) return;
  try {
    await connectSocket();
  } catch (err) {
    console.info("server still away", err.message);  // its close already scheduled the next attempt
  }
}

function stopSocketRetry() {
  clearTimeout(app.socketTimer);
  app.socketTimer = null;
}

// --- the call -------------------------------------------------------------------------
async function startCall({ ice_servers: iceServers, ice_transport_policy: policy, ice_trickle: trickle,
                           seat_name: seatName }) {
  teardownCall();
  stopRetry();
  setCallNotice("");
  if (!app.camera.isLive()) await app.camera.reopenVideo();
  const call = new CallLink({
    iceServers: iceServers || app.iceServers, iceTransportPolicy: policy || app.icePolicy,
    trickle: trickle === undefined ? app.iceTrickle : trickle, stream: app.camera.stream, remoteAudio: $("remote-audio"),
    sendSignal: (payload) => app.socket && app.socket.send({ type: "signal", ...payload }),
    onMessage: (msg) => handleChannelMessage(call, msg, commands, toast),
    onLost: (reason) => { if (app.call === call) connectionLost(reason); },
    onConnected: () => onCallConnected(call),
  });
  app.call = call;
  $("call-seat").textContent = `已接通：${seatName || "坐席"}`;
  $("local-video").srcObject = app.camera.stream;
  show("call");
  if (navigator.wakeLock) navigator.wakeLock.request("screen").catch(() => {});
  await call.offer();
  app.firstOfferAt = app.firstOfferAt || Date.now();
}

function onCallConnected(call) {
  app.retries = 0;
  clearInterval(app.qualityTimer);
  app.qualityTimer = setInterval(() => reportQuality(call), QUALITY_EVERY_MS);
  if (navigator.getBattery) {
    navigator.getBattery().then((b) => emit("battery", { level: b.level, charging: b.charging })).catch(() => {});
  }
}

async function reportQuality(call) {
  if (app.call !== call) return;
  const q = await call.quality().catch(() => null);
  if (!q) return;
  const conn = navigator.connection || {};
  emit("network", { rtt_ms: q.rtt_ms, effective_type: conn.effectiveType || "", width: q.width, height: q.height, fps: q.fps });
  const label = q.rtt_ms === null ? "" : q.rtt_ms < 150 ? "网络良好" : q.rtt_ms < 400 ? "网络一般" : "网络较差";
  $("call-quality").textContent = label;
}

function emit(name, data) {
  if (app.call) app.call.send({ type: "event", name, data });
  if (name !== "network" && name !== "battery" && app.socket) app.socket.send({ type: "event", name, data });
}

function toast(text, ms = 3000) {
  const el = $("call-toast");
  el.textContent = text;
  el.classList.add("show");
  clearTimeout(toast.timer);
  if (ms) toast.timer = setTimeout(() => (app.callNotice ? toast(app.callNotice, 0) : el.classList.remove("show")), ms);
}

// A notice that stays on the call screen (under any passing toast) until it is cleared with "".
function setCallNotice(text) {
  app.callNotice = text;
  if (text) toast(text, 0);
  else $("call-toast").classList.remove("show");
}

function showInstruction(text) {
  const el = $("instruction");
  el.textContent = text;
  el.classList.add("show");
  if (navigator.vibrate) navigator.vibrate(300);
}

async function uploadPhoto(blob) {
  const form = new FormData();
  form.append("file", blob, blob.type === "image/png" ? "photo.png" : "photo.jpg");
  if (app.lastFix) { form.append("lat", String(app.lastFix.latitude)); form.append("lon", String(app.lastFix.longitude)); }
  return api("POST", `/api/phone/${encodeURIComponent(token)}/photos`, form);
}

const commands = makeCommands({
  camera: app.camera, videoEl: $("local-video"), emit, toast, showInstruction, uploadPhoto, finish,
  endReasons: Object.keys(ENDED),
});

function teardownCall() {
  clearInterval(app.qualityTimer);
  if (app.call) app.call.close();
  app.call = null;
}

// --- interruption and 继续处理 ------------------------------------------------------------
function connectionLost(why) {
  teardownCall();
  stopSocketRetry();
  setCallNotice("");
  if (["ended", "problem"].includes(app.phase)) return;
  $("interrupted-why").textContent = why === "hidden"
    ? "页面被切到了后台，摄像头已暂停。您的案件和已提交的信息都还在。"
    : "网络不稳定，视频连接断开了。您的案件和已提交的信息都还在。";
  show("interrupted");
  scheduleRetry();
}

function scheduleRetry() {
  stopRetry();
  let left = Math.ceil(backoffS(app.retries, RETRY_BASE_S));
  app.retries += 1;
  const tick = () => {
    $("retry-line").textContent = `将在 ${left} 秒后自动重试（第 ${app.retries} 次）`;
    if (left-- <= 0) continueCase();
    else app.retryTimer = setTimeout(tick, 1000);
  };
  tick();
}

function stopRetry() {
  clearTimeout(app.retryTimer);
  app.retryTimer = null;
}

async function continueCase() {
  stopRetry();
  $("retry-line").textContent = "正在重新连接…";
  teardownCall();
  try {
    if (!app.camera.stream) await app.camera.open();
    else if (!app.camera.isLive()) await app.camera.reopenVideo();
    if (app.socket && app.socket.isOpen) sendJoin();
    else await connectSocket();
  } catch (err) {
    console.warn("continue failed", err);
    if (app.phase === "interrupted" && app.retryTimer === null) scheduleRetry();  // a socket close has scheduled it already
  }
}

async function onVisibility() {
  if (document.hidden) {
    if (app.call) emit("page_hidden", {});
    return;
  }
  if (app.phase === "call") {
    if (app.call && !app.call.lost && !app.camera.isLive()) {
      try { await app.call.replaceVideo(await app.camera.reopenVideo()); } catch (err) { return connectionLost("hidden"); }
      $("local-video").srcObject = app.camera.stream;
    }
    if (app.call && !app.call.lost) emit("page_visible", {});
    else connectionLost("hidden");
  } else if (app.phase === "waiting" && !(app.socket && app.socket.isOpen)) {
    connectionLost("hidden");
  }
}

function confirmLeave(question) {
  if (!window.confirm(question)) return;
  if (app.socket) app.socket.send({ type: "leave", reason: app.phase === "call" ? "hangup" : "left_queue" });
  finish("left");
}

function wire() {
  $("consent-next").onclick = onConsent;
  $("checks-run").onclick = runChecks;
  $("checks-join").onclick = join;
  $("continue").onclick = continueCase;
  $("leave").onclick = () => confirmLeave("确定不需要处理了吗？退出后需要重新报警。");
  $("hangup").onclick = () => confirmLeave("确定要结束视频通话吗？");
  $("instruction").onclick = () => $("instruction").classList.remove("show");
  document.querySelectorAll("label.tick[data-tick] input").forEach((input) => {
    input.onchange = () => { input.closest("label").classList.toggle("done", input.checked); sendTicks(); };
  });
  document.addEventListener("visibilitychange", onVisibility);
}

wire();
start();
