// paniers: small improvements only; every page works without this file.
// On the pick-up checklist, the search box filters the list as one types
// (without JavaScript, the search button reloads the page filtered).
(function () {
  "use strict";
  var box = document.getElementById("f-q");
  var list = document.querySelector(".pickup");
  if (!box || !list) { return; }
  var norm = function (s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };
  box.addEventListener("input", function () {
    var q = norm(box.value.trim());
    list.querySelectorAll("li").forEach(function (li) {
      li.hidden = q !== "" && norm(li.getAttribute("data-name") || "").indexOf(q) < 0;
    });
  });
})();
// The error summary takes the focus, so a screen reader reads it first.
(function () {
  "use strict";
  var s = document.getElementById("error-summary");
  if (s) { s.focus(); }
})();
// A sign-in link shown once: a button copies it (without JavaScript, the
// read-only field is selected and copied by hand).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (b) {
    var field = document.getElementById(b.getAttribute("data-copy"));
    var status = b.parentNode.querySelector("[data-copied]");
    if (!field) { return; }
    field.addEventListener("focus", function () { field.select(); });
    if (!navigator.clipboard) { return; }
    b.hidden = false;
    b.addEventListener("click", function () {
      field.select();
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = b.getAttribute("data-done"); }
      });
    });
  });
})();
