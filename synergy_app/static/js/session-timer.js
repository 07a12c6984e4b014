// Live countdown for the chair's running-order page. The server already renders the remaining
// time; this only keeps it ticking between page loads and announces the last minutes politely.
(function () {
  "use strict";
  var timer = document.querySelector("[data-countdown-seconds]");
  if (!timer) { return; }
  var valueEl = timer.querySelector(".timer-value");
  var announce = document.querySelector("[data-timer-announce]");
  var remaining = parseInt(timer.getAttribute("data-countdown-seconds"), 10);
  if (isNaN(remaining) || !valueEl) { return; }
  var lang = document.documentElement.lang || "sv";
  var endsAt = Date.now() + remaining * 1000;
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function fmt(seconds) {
    var sign = seconds < 0 ? "\u2212" : "";
    seconds = Math.abs(seconds);
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return sign + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function say(text) { if (announce) { announce.textContent = text; } }

  var said = {};
  function tick() {
    var left = Math.round((endsAt - Date.now()) / 1000);
    // With reduced motion the display changes every ten seconds instead of every second.
    if (!reduced || left % 10 === 0 || left <= 0) { valueEl.textContent = fmt(left); }
    timer.classList.toggle("timer-warning", left <= 60 && left > 0);
    timer.classList.toggle("timer-overdue", left <= 0);
    [[120, "Två minuter kvar.", "Two minutes left."], [60, "En minut kvar.", "One minute left."],
     [0, "Tiden är slut.", "Time is up."]].forEach(function (mark) {
      if (left <= mark[0] && !said[mark[0]] && remaining > mark[0]) {
        said[mark[0]] = true;
        say(lang === "en" ? mark[2] : mark[1]);
      }
    });
  }
  tick();
  window.setInterval(tick, 1000);
})();
