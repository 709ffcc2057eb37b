// The public "video report" page: phone number -> SMS code + consent -> the call page.
const $ = (id) => document.getElementById(id);
let phone = "";
let resendTimer = null;

async function post(path, body) {
  let response;
  try {
    response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch (err) {
    throw new Error("网络连接失败，请检查手机网络（移动数据或 Wi-Fi）后重试。");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.message || `服务器暂时无法处理（${response.status}），请稍后重试。`);
    error.retryAfter = data.retry_after_s;
    throw error;
  }
  return data;
}

function show(name) {
  document.querySelectorAll(".screen").forEach((s) => s.classList.toggle("active", s.id === `screen-${name}`));
}

function countdown(seconds) {
  clearInterval(resendTimer);
  const button = $("resend");
  let left = seconds;
  button.disabled = true;
  const tick = () => {
    button.textContent = left > 0 ? `重新获取验证码（${left} 秒）` : "重新获取验证码";
    button.disabled = left > 0;
    if (left-- <= 0) clearInterval(resendTimer);
  };
  tick();
  resendTimer = setInterval(tick, 1000);
}

async function sendCode() {
  const value = $("phone").value.replace(/\D/g, "");
  const error = $("phone-error");
  if (!/^1[3-9]\d{9}$/.test(value)) {
    error.textContent = "请输入正确的 11 位手机号码（1 开头）。";
    return;
  }
  error.textContent = "";
  $("send-code").disabled = true;
  try {
    const r = await post("/api/phone/codes", { phone: value });
    phone = value;
    $("code-phone").textContent = value.replace(/^(\d{3})\d{4}(\d{4})$/, "$1****$2");
    show("code");
    countdown(r.resend_after_s || 60);
    $("code").focus();
  } catch (err) {
    error.textContent = err.message;
    if (err.retryAfter && err.retryAfter < 120) { phone = value; show("code"); countdown(err.retryAfter); }
  } finally {
    $("send-code").disabled = false;
  }
}

async function resend() {
  $("code-error").textContent = "";
  try {
    const r = await post("/api/phone/codes", { phone });
    countdown(r.resend_after_s || 60);
  } catch (err) {
    $("code-error").textContent = err.message;
    if (err.retryAfter) countdown(err.retryAfter);
  }
}

async function startReport() {
  const code = $("code").value.replace(/\D/g, "");
  const error = $("code-error");
  if (code.length !== 6) { error.textContent = "请输入短信里的 6 位数字验证码。"; return; }
  if (!$("consent").checked) { error.textContent = "请先勾选同意录音录像，才能进行视频处理。"; return; }
  error.textContent = "";
  $("start").disabled = true;
  try {
    const r = await post("/api/phone/report", { phone, code, consent: true });
    sessionStorage.setItem(`kc-consent:${r.party_token}`, "1");
    location.href = `/p/${encodeURIComponent(r.party_token)}`;
  } catch (err) {
    error.textContent = err.message;
    $("start").disabled = false;
  }
}

$("send-code").onclick = sendCode;
$("resend").onclick = resend;
$("start").onclick = startReport;
$("phone").addEventListener("keydown", (e) => { if (e.key === "Enter") sendCode(); });
$("phone").addEventListener("input", () => { $("phone-error").textContent = ""; });
$("code").addEventListener("input", () => { $("code-error").textContent = ""; });
