/* 长者模式（大字·高对比）: remembered across pages. Runs in <head> so the saved mode
   applies before the first paint; the page is fully usable without this script. */
(function () {
  var KEY = "jiayuan-elder";
  var root = document.documentElement;
  try {
    if (window.localStorage.getItem(KEY) === "1") root.classList.add("elder");
  } catch (e) { /* storage disabled: the mode simply is not remembered */ }
  document.addEventListener("DOMContentLoaded", function () {
    var btn = document.getElementById("elder-toggle");
    if (!btn) return;
    function sync() {
      btn.setAttribute("aria-pressed", root.classList.contains("elder") ? "true" : "false");
    }
    btn.hidden = false;
    sync();
    btn.addEventListener("click", function () {
      var on = root.classList.toggle("elder");
      try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* ignore */ }
      sync();
    });
  });
})();
