// On a narrow screen the main menu folds behind a "Menu" button and filter panels start closed
// (unless a filter is set). Without JavaScript both stay open: every link and filter still works.
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 40rem)");
  var button = document.querySelector(".menu-toggle");
  var nav = document.querySelector(".main-nav");

  if (button && nav) {
    document.documentElement.classList.add("js-menu");
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  if (narrow.matches) {
    document.querySelectorAll("details.filter-panel:not([data-active])").forEach(function (panel) {
      panel.open = false;
    });
  }
})();
