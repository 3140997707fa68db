// A search box above long selects marked data-searchable (the time zones): typing a city,
// a country or a zone name narrows the options; the select itself still works without it.
(function () {
  "use strict";
  function normalise(text) {
    return text.toLowerCase().replace(/[_\s]+/g, " ");
  }
  document.querySelectorAll("select[data-searchable]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "form-control form-control-sm mb-1";
    input.id = select.id + "-search";
    input.setAttribute("aria-label", select.getAttribute("data-search-label") || "Search");
    input.setAttribute("placeholder", select.getAttribute("data-search-placeholder") || "");
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("autocomplete", "off");
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var wanted = normalise(input.value.trim());
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var shown = !wanted || normalise(option.text).indexOf(wanted) !== -1 || option.selected;
        option.hidden = !shown;
        if (shown && !first && !option.selected) {
          first = option;
        }
      });
      var count = Array.prototype.filter.call(select.options, function (option) {
        return !option.hidden;
      }).length;
      select.size = wanted ? Math.min(Math.max(count, 2), 8) : 0;
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      }
    });
  });
})();
