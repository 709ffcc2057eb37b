// Runs only in browsers too old for ES modules (script nomodule): say so plainly instead of a blank page.
(function () {
  var main = document.getElementsByTagName("main")[0];
  if (!main) return;
  main.innerHTML =
    '<h1>浏览器版本太旧</h1>' +
    '<div class="notice bad"><p>这个浏览器不能进行视频处理。</p><ol class="steps">' +
    '<li>请用 iPhone 自带的 Safari，或安卓手机上的 Chrome 打开短信中的链接</li>' +
    '<li>如果已经是这些浏览器，请先把它更新到最新版本</li></ol></div>' +
    '<p class="muted">也可以直接拨打 <b>122</b> 报警。</p>';
})();
