// Small progressive enhancements; every feature works without this file.
(function () {
  "use strict";

  // Ask before destructive form posts marked data-confirm.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Copy buttons: <button data-copy="#element-id">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    var text = source.value !== undefined ? source.value : source.textContent;
    if (navigator.clipboard) {
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = "Copied";
      });
    } else if (source.select) {
      source.select();
    }
  });

  // Coming back to the tab: lists that follow "page-visible" refresh (clients may have joined).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && document.body) {
      document.body.dispatchEvent(new CustomEvent("page-visible"));
    }
  });

  // Show a short message when an htmx request fails, instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box) return;
    var status = event.detail.xhr.status;
    box.textContent = status === 413 ? "That is too large to send. Shorten the text and try again."
      : status === 404 ? "That item no longer exists. Reload the page."
      : status === 403 || status === 400 ? "That was not allowed. Reload the page and try again."
      : "Something went wrong. Nothing was saved; try again.";
    box.hidden = false;
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("htmx-error");
    if (!box) return;
    box.textContent = "Could not reach OnDeck. Check your connection and try again.";
    box.hidden = false;
  });
})();
