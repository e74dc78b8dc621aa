// Small progressive touches; every page works without this file.
(function () {
  "use strict";
  // The first-visit form: suggest the browser's own time zone.
  var zone = document.querySelector("select[data-browser-zone]");
  if (zone && window.Intl) {
    try {
      var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (tz && zone.dataset.browserZone === "suggest") {
        for (var i = 0; i < zone.options.length; i++) {
          if (zone.options[i].value === tz) { zone.value = tz; break; }
        }
      }
    } catch (e) { /* keep the server's guess */ }
  }
  // The country follows the time zone until the person chooses one themselves.
  var region = document.querySelector("select[data-region-follows]");
  if (region && zone) {
    var chosen = false;
    var follow = function () {
      var opt = zone.options[zone.selectedIndex];
      if (!chosen && opt && opt.dataset.region) region.value = opt.dataset.region;
    };
    region.addEventListener("change", function () { chosen = true; });
    zone.addEventListener("change", follow);
    follow();
  }
  // The log form: show only the details that fit the chosen activity.
  var form = document.querySelector("form[data-kind-form]");
  if (form) {
    var groups = form.querySelectorAll("[data-for-kinds]");
    var update = function () {
      var picked = form.querySelector("input[name=kind]:checked");
      var kind = picked ? picked.value : "";
      groups.forEach(function (g) {
        var kinds = g.getAttribute("data-for-kinds").split(" ");
        g.hidden = kind !== "" && kinds.indexOf(kind) === -1;
      });
    };
    form.addEventListener("change", update);
    update();
  }
  // A share link: a button that copies it (the field stays selectable without it).
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    var field = document.getElementById(b.getAttribute("data-copy"));
    var done = b.parentNode.querySelector("[data-copied]");
    if (!field) return;
    b.hidden = false;
    b.addEventListener("click", function () {
      var shown = function () { if (done) done.hidden = false; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(shown, function () { field.select(); });
      } else {
        field.select();
        if (document.execCommand && document.execCommand("copy")) shown();
      }
    });
  });
  // "I'm not safe" on the check-in: show the lines at once, before saving.
  var notSafe = document.querySelector("input[name=not_safe]");
  var lines = document.getElementById("crisis-now");
  if (notSafe && lines) {
    notSafe.addEventListener("change", function () { lines.hidden = !notSafe.checked; });
  }
})();
