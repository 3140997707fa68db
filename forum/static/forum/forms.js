// Forms that come back with errors: focus the error summary, and let its links focus the field.
(function () {
  "use strict";
  var summary = document.querySelector("[data-focus-on-load]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({block: "center"});
    }
  });
})();

// "Your name in Latin letters" and "Organisation in English" (data-latin-for="name"): shown only
// while the field they go with holds a letter of another script, or when they hold something or
// an error. Without this script both stay visible and say when they are needed.
(function () {
  "use strict";
  var otherScript = /(?=\p{L})\P{Script=Latin}/u;
  document.querySelectorAll("[data-latin-for]").forEach(function (companion) {
    var main = companion.form && companion.form.elements[companion.dataset.latinFor];
    var wrapper = document.getElementById("div_" + companion.id) || companion.parentElement;
    if (!main || !wrapper) {
      return;
    }
    function update() {
      var needed = otherScript.test(main.value);
      var keep = companion.value !== "" || companion.classList.contains("is-invalid");
      wrapper.hidden = !(needed || keep);
      companion.setAttribute("aria-required", needed ? "true" : "false");
    }
    main.addEventListener("input", update);
    update();
  });
})();
