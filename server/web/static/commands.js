// The seat's data-channel commands, run on the phone. Each returns the reply's result or throws
// an error with a code (e.g. "unsupported") and a message the seat can show as it is.

// page: {camera, videoEl, emit(name, data), toast(text, ms), showInstruction(text), uploadPhoto(blob), finish(reason), endReasons}
export function makeCommands(page) {
  return {
    async switch_camera(call, { facing }) {
      const track = await page.camera.switchTo(facing);
      await call.replaceVideo(track);
      page.videoEl.srcObject = page.camera.stream;
      const result = { facing, ...page.camera.size() };
      page.emit("camera_switched", result);
      page.toast(facing === "user" ? "已切换到前置摄像头" : "已切换到后置摄像头");
      return result;
    },
    async take_photo() {
      page.toast("正在拍照，请保持手机稳定…", 0);
      const blob = await page.camera.takePhoto(page.videoEl);
      page.toast("正在上传照片…", 0);
      const r = await page.uploadPhoto(blob);
      const result = { evidence_id: r.evidence_id, sha256: r.sha256, width: r.width, height: r.height };
      page.emit("photo_uploaded", result);
      page.toast("照片已上传 ✓");
      return result;
    },
    async torch(call, { on }) {
      const result = await page.camera.torch(on);
      page.toast(on ? "手电筒已打开" : "手电筒已关闭");
      return result;
    },
    async show_instruction(call, { text }) {
      if (typeof text !== "string" || !text.trim()) throw Object.assign(new Error("text 不能为空"), { code: "bad_args" });
      page.showInstruction(text.trim().slice(0, 200));
      return {};
    },
    async end(call, { reason }) {
      // after the reply has gone out; the server's `ended` (from the seat's hangup) then closes the socket
      const known = typeof reason === "string" && page.endReasons.includes(reason);
      setTimeout(() => page.finish(known ? reason : "completed", 5000), 300);
      return {};
    },
  };
}

// One message from the data channel: commands get exactly one reply; anything else is ignored here.
export async function handleChannelMessage(call, msg, commands, toast) {
  if (msg.type !== "cmd") return;
  const { id, name, args } = msg;
  const command = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : null;
  if (!command) {
    call.send({ type: "reply", id, ok: false, error: "unknown_command", message: String(name) });
    return;
  }
  try {
    const result = await command(call, args && typeof args === "object" ? args : {});
    call.send({ type: "reply", id, ok: true, result });
  } catch (err) {
    toast(`操作未完成：${err.message}`);
    call.send({ type: "reply", id, ok: false, error: err.code || "failed", message: err.message });
  }
}
