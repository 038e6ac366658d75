// Preview only: waits for the next build, reloads the page, or shows the build errors.
(function () {
  var me = document.currentScript;
  var pageGeneration = Number(me.getAttribute("data-generation"));
  var overlay = null;
  function show(errors) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:24px;font:16px/1.6 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "网站没有重新生成：请修改以下问题后保存，页面会自动刷新。\n\n" + errors.join("\n\n");
  }
  function poll(since) {
    var url = "/__jiayuan/poll" + (since === null ? "" : "?since=" + since);
    fetch(url, { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
      if (s.errors.length) {
        show(s.errors);
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
