// Drag an entry onto another day of the coach's calendar (week and month view). Native HTML5
// drag and drop, no library: the entry's data-move-url is posted with the day's date through
// htmx, and the calendar panel comes back in place with an Undo. Loaded for coaches only; the
// keyboard does the same with each entry's "Move to…" in the open day.
(function () {
  "use strict";
  var dragged = null;

  function dayUnder(event) {
    var day = event.target.closest && event.target.closest("#calendar-panel .cal-day[data-date]");
    return dragged && day ? day : null;
  }

  function unmark() {
    document.querySelectorAll(".cal-day.drop-here").forEach(function (day) {
      day.classList.remove("drop-here");
    });
  }

  document.addEventListener("dragstart", function (event) {
    var entry = event.target.closest && event.target.closest(".cal-entry[data-move-url]");
    if (!entry) return;
    dragged = entry;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", entry.id);
    entry.classList.add("dragging");
  });

  document.addEventListener("dragover", function (event) {
    var day = dayUnder(event);
    if (!day) return;
    event.preventDefault(); // this day accepts the drop
    event.dataTransfer.dropEffect = "move";
    if (!day.classList.contains("drop-here")) {
      unmark();
      day.classList.add("drop-here");
    }
  });

  document.addEventListener("drop", function (event) {
    var day = dayUnder(event);
    if (!day) return;
    event.preventDefault();
    var entry = dragged;
    dragged = null;
    unmark();
    entry.classList.remove("dragging");
    if (entry.closest(".cal-day") === day || !window.htmx) return;
    window.htmx.ajax("POST", entry.getAttribute("data-move-url"), {
      source: entry,
      target: "#calendar-panel",
      swap: "outerHTML",
      values: { on_date: day.getAttribute("data-date") },
    });
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    unmark();
  });
})();
