// Filters for report.html's contradiction cards: by type and by review status.
// Inlined verbatim by agent/report_html.py, which pins this exact text by its hash in the
// page's Content-Security-Policy: edit freely, the hash is recomputed on every render.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) {
    return;
  }
  var typeSelect = document.getElementById("filter-type");
  var statusSelect = document.getElementById("filter-status");
  var counter = document.getElementById("visible-count");
  var noMatch = document.getElementById("no-match");
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.flag"));

  function apply() {
    var type = typeSelect.value;
    var status = statusSelect.value;
    var shown = 0;
    cards.forEach(function (card) {
      var visible = (!type || card.dataset.type === type) &&
        (!status || card.dataset.status === status);
      card.hidden = !visible;
      if (visible) {
        shown += 1;
      }
    });
    counter.textContent = shown + " of " + cards.length + " shown";
    noMatch.hidden = shown !== 0;
  }

  typeSelect.addEventListener("change", apply);
  statusSelect.addEventListener("change", apply);
  // "reset" fires before the controls are reset: apply once they hold their defaults.
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  // Nothing here is ever sent anywhere.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  // The controls stay hidden when script cannot run, so no control is ever dead.
  form.hidden = false;
  apply();
})();
