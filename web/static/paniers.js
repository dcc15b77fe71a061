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
