// newsprism: the only script. Pages work without it; it makes citations highlight their
// source sentence in the side-by-side panel instead of opening the article page.
(function () {
  "use strict";
  // Scroll the span's own column (and the row of columns), not the page, so the panel
  // stays put beside the briefing; the page scrolls only if the span is still hidden.
  function reveal(span) {
    var box = span.closest(".text");
    var col = span.closest(".col");
    var row = col && col.parentElement;
    if (box) {
      var offset = span.getBoundingClientRect().top - box.getBoundingClientRect().top;
      box.scrollTop += offset - box.clientHeight / 3;
    }
    if (row) {
      var c = col.getBoundingClientRect(), r = row.getBoundingClientRect();
      if (c.left < r.left) row.scrollLeft -= r.left - c.left;
      else if (c.right > r.right) row.scrollLeft += c.right - r.right;
    }
    var s = span.getBoundingClientRect();
    if (s.top < 0 || s.bottom > window.innerHeight) span.scrollIntoView({ block: "center" });
  }

  function show(link) {
    var panel = document.getElementById("compare");
    var n = link.getAttribute("data-cite");
    if (!panel || !/^[0-9]+$/.test(n || "")) return false;
    var spans = panel.querySelectorAll('[data-c~="' + n + '"]');
    if (!spans.length) return false; // article not in the panel: follow the link
    panel.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    document.querySelectorAll("a.cite.active").forEach(function (el) { el.classList.remove("active"); });
    spans.forEach(function (el) { el.classList.add("hl"); });
    link.classList.add("active");
    reveal(spans[0]);
    return true;
  }
  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    var link = event.target.closest && event.target.closest("a[data-cite]");
    if (link && show(link)) event.preventDefault();
  });
})();
