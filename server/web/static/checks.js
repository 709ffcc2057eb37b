// What can stop a phone from joining, and the plain-language fix for each.
// Every message says what happened and what to do next; "error" is never the only word.

const IN_APP = [
  [/MicroMessenger/i, "微信"], [/\bQQ\//i, "QQ"], [/Weibo/i, "微博"], [/AlipayClient/i, "支付宝"],
  [/DingTalk/i, "钉钉"], [/aweme|Douyin/i, "抖音"], [/NewsArticle|Toutiao/i, "今日头条"],
  [/FBAN|FBAV/i, "Facebook"], [/Instagram/i, "Instagram"], [/\bLine\//i, "LINE"],
];

export function inAppBrowser(ua = navigator.userAgent) {
  for (const [pattern, name] of IN_APP) if (pattern.test(ua)) return name;
  return null;
}

export function platform(ua = navigator.userAgent) {
  if (/iPhone|iPad|iPod/i.test(ua) || (/Macintosh/i.test(ua) && navigator.maxTouchPoints > 1)) return "ios";
  if (/Android/i.test(ua)) return "android";
  return "other";
}

// Blocking problems found before anything is asked of the driver: {title, text, steps} or null.
export function environmentProblem() {
  const app = inAppBrowser();
  if (app) {
    const ios = platform() === "ios";
    return {
      title: `请在${ios ? " Safari " : "手机浏览器"}中打开`,
      text: `${app}内置的浏览器不能使用摄像头进行视频处理。`,
      steps: [
        "点击屏幕右上角的「···」（三个点）",
        ios ? "选择「在 Safari 中打开」" : "选择「在浏览器中打开」（推荐 Chrome 或手机自带浏览器）",
        "在打开的页面中继续操作",
      ],
    };
  }
  if (!window.isSecureContext) {
    return {
      title: "请使用 https 链接打开",
      text: "当前网页不是安全连接，手机浏览器不允许使用摄像头。",
      steps: ["回到短信，点击以 https:// 开头的完整链接", "如果链接被截断，请复制完整链接后粘贴到 Safari 或 Chrome 地址栏"],
    };
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.RTCPeerConnection) {
    return {
      title: "浏览器版本太旧",
      text: "这个浏览器不支持视频通话。",
      steps: ["请用 iPhone 自带的 Safari，或安卓手机上的 Chrome 打开短信中的链接",
              "如果已经是这些浏览器，请先在应用商店或系统设置里把它更新到最新版本"],
    };
  }
  return null;
}

function permissionSteps(what) {
  if (platform() === "ios") {
    return [
      `点地址栏左侧的「大小」或「aA」→「网站设置」→ 把「${what}」改为「允许」`,
      `如果没有这个选项：打开手机「设置」→「Safari 浏览器」→「${what}」→ 选「允许」`,
      "回到这个页面，点「重新检测」",
    ];
  }
  return [
    `点地址栏左侧的锁形（或 ⓘ）图标 →「权限」→ 打开「${what}」`,
    `如果仍不行：手机「设置」→「应用」→ Chrome（或您的浏览器）→「权限」→ 允许${what}`,
    "回到这个页面，点「重新检测」",
  ];
}

// getUserMedia failures -> {text, steps}
export function mediaErrorHelp(err) {
  const name = (err && err.name) || "";
  if (name === "NotAllowedError" || name === "PermissionDeniedError" || name === "SecurityError") {
    return { text: "您没有允许使用摄像头或麦克风。", steps: permissionSteps("相机和麦克风") };
  }
  if (name === "NotFoundError" || name === "DevicesNotFoundError") {
    return { text: "这部手机上没有找到可用的摄像头或麦克风。", steps: ["请换一部带摄像头的手机打开短信链接", "或直接拨打 122 报警"] };
  }
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError") {
    return {
      text: "摄像头或麦克风正被其他应用占用。",
      steps: ["关闭正在使用相机或通话的应用（如相机、微信视频、电话）", "回到这个页面，点「重新检测」"],
    };
  }
  return { text: "暂时无法打开摄像头。", steps: ["关闭这个页面后，重新点击短信中的链接", "仍不行请重启手机，或拨打 122 报警"] };
}

// Geolocation failures -> {text, steps}; location never blocks the driver from getting help.
export function locationErrorHelp(err) {
  if (err && err.code === 1) {
    const steps = platform() === "ios"
      ? ["打开手机「设置」→「隐私与安全性」→「定位服务」→ 打开，并把「Safari 网站」设为「使用 App 期间」",
         "回到这个页面，点「重新检测」"]
      : ["点地址栏左侧的锁形图标 →「权限」→ 允许「位置」", "并在手机下拉菜单中打开「位置信息 / GPS」", "回到这个页面，点「重新检测」"];
    return { text: "您没有允许获取位置。也可以先继续，接通后请告诉坐席您的具体位置。", steps };
  }
  return {
    text: "暂时无法定位。可以先继续，页面会自动再试；接通后也可以告诉坐席您的位置。",
    steps: ["打开手机的「定位 / GPS」", "尽量到开阔处，远离高楼和隧道"],
  };
}
