// Preview only: waits for the next build, reloads the page, or shows the build errors.
(function () {
  var me = document.currentScript;
  var pageGeneration = Number(me.getAttribute("data-generation"));
  var overlay = null;
  function show(errors, latest) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:24px;font:16px/1.6 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    var heading = latest
      ? "网页已按最新内容显示，但正式生成（jiayuan build）会因以下问题失败：请修改后保存，页面会自动刷新。"
      : "网站没有重新生成：请修改以下问题后保存，页面会自动刷新。";
    overlay.textContent = heading + "\n\n" + errors.join("\n\n");
  }
  function poll(since) {
    var url = "/__jiayuan/poll" + (since === null ? "" : "?since=" + since);
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.errors.length) {
        if (s.latest && s.generation !== pageGeneration && !overlay) {
          // The new content came with problems: show the new page, then its problems.
          location.reload();
          return;
        }
        show(s.errors, s.latest);
      } else if (s.generation !== pageGeneration) {
        location.reload();
        return;
      } else if (overlay) {
        overlay.remove();
        overlay = null;
      }
      poll(s.generation);
    }, function () {
      setTimeout(function () { poll(since); }, 1000);
    });
  }
  poll(null);
})();
