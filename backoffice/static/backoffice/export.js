/* The export page: the column choices follow the chosen list at once.
 *
 * Without this script the page still works: "Show this list's columns" asks the server, and the
 * server never downloads columns ticked for another list (it shows the right ones first). With it,
 * changing the list shows that list's columns (its usual ones ticked) and presets, choosing a preset
 * ticks its columns, and `columns_for` tells the server which list the ticked columns belong to.
 */
(function () {
  "use strict";
  var form = document.getElementById("export-form");
  var data = document.getElementById("export-lists");
  if (!form || !data) {
    return;
  }
  var lists = JSON.parse(data.textContent);
  var kind = form.elements.list_kind;
  var preset = form.elements.preset;
  var columnsFor = form.elements.columns_for;
  var box = document.getElementById("id_columns");
  var heading = document.getElementById("export-columns-title");
  var count = document.getElementById("export-count");
  var staleCount = document.getElementById("export-count-stale");
  var refreshRow = document.getElementById("export-refresh-row");
  if (refreshRow) {
    refreshRow.remove(); // the columns follow the choices here; no round trip needed
  }

  function showColumns(keys) {
    var list = lists[kind.value];
    var ticked = new Set(keys);
    box.replaceChildren();
    list.columns.forEach(function (column, index) {
      var id = "id_columns_" + index;
      var row = document.createElement("div");
      var label = document.createElement("label");
      var input = document.createElement("input");
      label.htmlFor = id;
      input.type = "checkbox";
      input.name = "columns";
      input.value = column[0];
      input.id = id;
      input.checked = ticked.has(column[0]);
      label.append(input, " " + column[1]);
      row.append(label);
      box.append(row);
    });
    heading.textContent = list.heading;
    columnsFor.value = kind.value;
  }

  function showPresets() {
    var list = lists[kind.value];
    var empty = preset.options[0];
    preset.replaceChildren(empty);
    empty.selected = true;
    list.presets.forEach(function (item) {
      preset.append(new Option(item.name, String(item.id)));
    });
  }

  function countIsStale() {
    if (count && count.textContent.trim() && staleCount) {
      count.textContent = staleCount.content.textContent;
    }
  }

  kind.addEventListener("change", function () {
    showPresets();
    showColumns(lists[kind.value].defaults);
  });
  preset.addEventListener("change", function () {
    var chosen = lists[kind.value].presets.find(function (item) {
      return String(item.id) === preset.value;
    });
    showColumns(chosen ? chosen.columns : lists[kind.value].defaults);
  });
  form.addEventListener("change", countIsStale);
})();
