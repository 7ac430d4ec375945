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

  // Tabs (role=tablist of links): the open tab is the list's one stop in the Tab order, and
  // arrow keys, Home and End move to another tab and open it. Set here, not in the HTML, so
  // that without this file every tab stays a link the keyboard can reach.
  function within(root, selector) {
    var found = root.querySelectorAll ? Array.prototype.slice.call(root.querySelectorAll(selector)) : [];
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function rovingTabs(root) {
    within(root, "[role=tablist]").forEach(function (list) {
      within(list, "[role=tab]").forEach(function (tab) {
        tab.setAttribute("tabindex", tab.getAttribute("aria-selected") === "true" ? "0" : "-1");
      });
    });
  }

  rovingTabs(document);
  document.addEventListener("htmx:load", function (event) {
    rovingTabs(event.detail.elt);
  });

  document.addEventListener("keydown", function (event) {
    var tab = event.target.closest && event.target.closest("[role=tab]");
    if (!tab || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var tabs = within(tab.closest("[role=tablist]"), "[role=tab]");
    var at = tabs.indexOf(tab);
    var to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    var next = tabs[(to + tabs.length) % tabs.length];
    tabs.forEach(function (other) {
      other.setAttribute("tabindex", other === next ? "0" : "-1");
    });
    // htmx gives the focus back to the tab of the same id once the new tab list is in. Should a
    // key come before htmx has taken up the new tabs, process this one now, or the click would
    // load the whole page.
    next.focus();
    if (window.htmx) window.htmx.process(next);
    next.click();
  });

  // The coach's day editor (a .cal-day that swaps itself). A swap drops the focus to <body>:
  // put it where the person is working instead. Opening the editor lands in its first field,
  // closing it on the day's own button, an entry's step (move, save, cancel) on that entry.
  // Each request a day makes for itself is remembered by its own XHR, so a swap that settles
  // late cannot take the focus meant for the next request.
  var dayRequests = new WeakMap(); // xhr -> {day, entry, action}

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var day = elt.closest && elt.closest(".cal-day");
    if (!day || event.detail.target !== day) return;
    var entry = elt.closest(".cal-entry");
    dayRequests.set(event.detail.xhr, { day: day.id, entry: entry && entry.id, action: elt.getAttribute("action") });
  });

  function firstField(root) {
    return root && root.querySelector("input:not([type=hidden]), textarea, select");
  }

  function focusInDay(day, request) {
    // Read the new content, not its class: htmx keeps the old element's classes on the new one
    // until it settles, so a day just closed can still say "editing" here.
    if (!day.querySelector("form.cal-add, .cal-entry .cal-form")) return day.querySelector(".cal-day-head");
    // An entry's own step (open, save, cancel, reorder) lands in that entry, even with another
    // entry's editor open beside it: entries open, save and close in place.
    var entry = request.entry && document.getElementById(request.entry);
    var scope = entry && day.contains(entry) ? entry : day;
    var target = scope.querySelector("[aria-invalid=true]") || firstField(scope.querySelector(".cal-entry .cal-form"));
    if (!target && scope === entry) {
      within(entry, "form").forEach(function (form) {
        if (!target && request.action && form.getAttribute("action") === request.action) {
          target = form.querySelector("button");
        }
      });
      target = target || entry.querySelector("[data-edit-entry]");
    }
    return target || firstField(day.querySelector(".cal-add"));
  }

  // Once swapped, and again once settled (htmx may still replace or move things while it
  // settles): look the day up by its id and put the focus back where it belongs.
  function placeFocus(event) {
    var request = event.detail.xhr && dayRequests.get(event.detail.xhr);
    var day = request && document.getElementById(request.day);
    var target = day && focusInDay(day, request);
    if (target && document.activeElement !== target) target.focus();
  }
  document.addEventListener("htmx:afterSwap", placeFocus);
  document.addEventListener("htmx:afterSettle", function (event) {
    placeFocus(event);
    if (event.detail.xhr) dayRequests.delete(event.detail.xhr);
  });

  // Escape closes the innermost editor: an entry's, else the day's.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var day = event.target.closest && event.target.closest(".cal-day.editing");
    if (!day) return;
    var entry = event.target.closest(".cal-entry");
    var close = (entry && entry.querySelector("[data-cancel-entry]")) || day.querySelector("[data-close-day]");
    if (!close) return;
    event.preventDefault();
    if (window.htmx) window.htmx.process(close);
    close.click();
  });

  // Ctrl+Enter (Cmd+Enter on a Mac) saves the day editor's form from any of its fields, so
  // writing a day needs no Tab to its button; Escape (below) closes it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.defaultPrevented) return;
    var form = event.target.closest && event.target.closest("form.cal-form");
    if (!form) return;
    event.preventDefault();
    form.requestSubmit();
  });

  // After a swap the focus must never be left on <body>: a boosted link or form swaps the whole
  // page, and any swap can replace the control that had the focus. Put it on what the new
  // content marks (data-focus-here, autofocus), else on its heading, else on the content itself.
  // Only for requests made while the person was somewhere on the page (or boosted ones), so a
  // part that loads itself as the page opens never takes the focus.
  var fromFocus = new WeakMap(); // xhr -> the request was made with the focus on the page

  document.addEventListener("htmx:beforeRequest", function (event) {
    var active = document.activeElement;
    fromFocus.set(event.detail.xhr, Boolean(event.detail.boosted) || (active && active !== document.body));
  });

  function landing(root) {
    var found = root.querySelector("[data-focus-here], [autofocus]") || root.querySelector("h1, h2");
    if (!found && root !== document.body) found = root;
    if (found && found.tabIndex < 0 && !found.hasAttribute("tabindex")) found.setAttribute("tabindex", "-1");
    return found;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var settled = event.target;
    var marked = settled.isConnected && settled.querySelector && settled.querySelector("[data-focus-here]");
    // What the answer marks is the next step (Write training after an invite, Undo after a
    // move): it takes the focus even from the field htmx gave it back to.
    if (marked && fromFocus.get(event.detail.xhr)) return marked.focus();
    // A new page (boosted) starts at its content, even if htmx gave the focus back to the top
    // bar's field of the same id.
    if (event.detail.boosted && settled === document.body) {
      var main = document.getElementById("main");
      return main && landing(main) && landing(main).focus();
    }
    var active = document.activeElement;
    if ((active && active !== document.body) || !fromFocus.get(event.detail.xhr)) return;
    var root = event.detail.boosted || !settled.isConnected || settled === document.body
      ? document.getElementById("main") || document.body : settled;
    var target = landing(root);
    if (target) target.focus();
  });

  // A change that answers with the calendar panel (a drag, Move to…, Shift from here, Undo)
  // asks for the week or month the panel shows, so the coach stays where they are.
  document.addEventListener("htmx:configRequest", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "calendar-panel" || event.detail.verb === "get") return;
    var shown = target.getAttribute("hx-get") || "";
    var query = shown.indexOf("?") >= 0 ? shown.slice(shown.indexOf("?") + 1) : "";
    if (query) event.detail.path += (event.detail.path.indexOf("?") >= 0 ? "&" : "?") + query;
  });

  // Undo lasts a few seconds (data-expires, in seconds): then the offer goes, and the focus, if
  // it was on it, moves to the notice beside it.
  document.addEventListener("htmx:load", function (event) {
    within(event.detail.elt, "[data-expires]").forEach(function (offer) {
      setTimeout(function () {
        if (!offer.isConnected) return;
        var notice = offer.parentElement;
        var hadFocus = offer.contains(document.activeElement);
        offer.remove();
        if (hadFocus && notice) {
          notice.setAttribute("tabindex", "-1");
          notice.focus();
        }
      }, 1000 * Number(offer.getAttribute("data-expires")));
    });
  });

  // Coming back to the tab: lists that follow "page-visible" refresh (clients may have joined).
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && document.body) {
      document.body.dispatchEvent(new CustomEvent("page-visible"));
    }
  });

  // A response the server aims at the notice area (HX-Retarget) is a message for the person:
  // show it even on an error status, in place of the generic text below.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = document.getElementById("htmx-error");
    if (!box || event.detail.target !== box) return;
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    box.hidden = false;
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
