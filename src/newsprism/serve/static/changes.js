// newsprism, issue 15: "what changed since you last looked". No inline script (strict CSP),
// no requests: the page carries the change log (story page) or each story's last change
// time (story list); the reader's last visits are kept in localStorage.
(function () {
  "use strict";
  var PREFIX = "newsprism.visit.";

  function load(key) {
    try { return window.localStorage.getItem(PREFIX + key); } catch (e) { return null; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(PREFIX + key, value); } catch (e) { /* private mode */ }
  }
  function time(text) {
    var t = Date.parse(text || "");
    return isNaN(t) ? null : t;
  }
  function localInput(ms) { // a datetime-local value in the reader's time zone
    var d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 19);
  }

  function storyPage(section) {
    var id = section.getAttribute("data-story");
    var input = document.getElementById("changes-since");
    var status = section.querySelector(".changes-status");
    var lastVisit = time(load(id));
    save(id, new Date().toISOString());

    // Marks the element around each match (a briefing item, a matrix header or row, an
    // article in the list), never the citation links themselves, whose classes app.js owns.
    function mark(selector, cls) {
      document.querySelectorAll(selector).forEach(function (el) {
        (el.closest("li, th, tr") || el).classList.add(cls);
      });
    }
    function show(since) {
      document.querySelectorAll(".is-new, .is-changed").forEach(function (el) {
        el.classList.remove("is-new", "is-changed");
      });
      var shown = 0;
      section.querySelectorAll("li.change").forEach(function (li) {
        var at = time(li.getAttribute("data-at"));
        var visible = since === null || (at !== null && at >= since);
        li.hidden = !visible;
        if (!visible) return;
        shown += 1;
        if (since === null) return; // everything is shown: nothing is "new" against it
        li.querySelectorAll("[data-new-article]").forEach(function (item) {
          var href = "/articles/" + item.getAttribute("data-new-article");
          mark('#briefing a[href^="' + href + '?"], #matrix th.src a[href="' + href + '"], #articles a[href="' + href + '"]', "is-new");
        });
        li.querySelectorAll("[data-new-claim]").forEach(function (item) {
          mark('#matrix tr[data-fact="' + CSS.escape(item.getAttribute("data-new-claim")) + '"]', "is-new");
        });
        li.querySelectorAll("[data-changed-claim]").forEach(function (item) {
          mark('#matrix tr[data-fact="' + CSS.escape(item.getAttribute("data-changed-claim")) + '"]', "is-changed");
        });
      });
      if (status) {
        status.textContent = since === null ? "Showing every change." :
          shown ? shown + " update" + (shown > 1 ? "s" : "") + " since " + new Date(since).toLocaleString() + "; new items are marked." :
          "Nothing changed since " + new Date(since).toLocaleString() + ".";
      }
    }
    if (input) {
      if (lastVisit !== null) input.value = localInput(lastVisit);
      input.addEventListener("change", function () { show(time(input.value)); });
    }
    section.querySelectorAll("button[data-since]").forEach(function (button) {
      button.addEventListener("click", function () {
        var since = button.getAttribute("data-since") === "visit" ? lastVisit : null;
        if (input) input.value = since === null ? "" : localInput(since);
        show(since);
      });
    });
    show(lastVisit);
  }

  function storyList() {
    var listVisit = time(load("list"));
    save("list", new Date().toISOString());
    document.querySelectorAll("[data-story][data-changed]").forEach(function (card) {
      var seen = time(load(card.getAttribute("data-story")));
      var since = seen !== null ? seen : listVisit;
      var changed = time(card.getAttribute("data-changed"));
      if (since !== null && changed !== null && changed > since) {
        card.classList.add("is-changed");
        var badge = document.createElement("span");
        badge.className = "badge changed";
        badge.textContent = "changed since your last visit";
        card.insertBefore(badge, card.firstChild);
      }
    });
  }

  function start() {
    var section = document.getElementById("changes");
    if (section) storyPage(section); else storyList();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
