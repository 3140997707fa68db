// Text boxes with a limit (data-limit): a counter under the box, and a spoken warning when the
// text is too long. The browser's maxlength isn't used: it would cut a pasted text silently.
// Without this script the page states the limit and the server says by how much a text is over.
(function () {
  "use strict";
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return String(values[key]);
    });
  }
  document.querySelectorAll("textarea[data-limit]").forEach(function (box) {
    var limit = parseInt(box.dataset.limit, 10);
    var counter = document.createElement("div");
    counter.className = "form-text text-counter";
    counter.id = box.id + "-counter";
    var warning = document.createElement("div");
    warning.className = "form-text text-danger fw-semibold";
    warning.id = box.id + "-over";
    warning.setAttribute("aria-live", "polite");
    box.insertAdjacentElement("afterend", warning);
    box.insertAdjacentElement("afterend", counter);
    var described = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    box.setAttribute("aria-describedby", described.join(" "));
    function update() {
      var count = Array.from(box.value).length;
      counter.textContent = fill(box.dataset.countText, {count: count, limit: limit});
      var over = count - limit;
      counter.classList.toggle("text-danger", over > 0);
      var text = over > 0 ? fill(box.dataset.overText, {over: over}) : "";
      if (warning.textContent !== text) {
        warning.textContent = text;
      }
    }
    box.addEventListener("input", update);
    update();
  });
})();
