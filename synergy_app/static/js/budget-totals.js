/* Budget editor: running totals per partner and per funder while typing.
   The server computes the same totals on "Räkna om summor" / "Update totals", so the page works without
   this script; amounts are read as the server reads them (synergy_app/money.py) and written as it writes them. */
(function () {
  "use strict";
  var form = document.querySelector("form.budget");
  if (!form) { return; }
  var english = form.getAttribute("data-locale") === "en";
  var digits = new Intl.NumberFormat(english ? "en-GB" : "sv-SE", {minimumFractionDigits: 2, maximumFractionDigits: 2});
  var funderTable = document.getElementById("funder-totals");
  var known = {};
  var list = document.getElementById("funder-list");
  if (list) {
    Array.prototype.forEach.call(list.options, function (option) { known[option.value.toLowerCase()] = option.value; });
  }

  function sek(ore) {
    var text = digits.format(ore / 100);
    return english ? "SEK\u00a0" + text : text + "\u00a0kr";
  }

  /* Kronor as typed ("1 200 000", "1200000,50", "2 000 kr") -> öre; null when the server would refuse it. */
  function ore(typed) {
    var text = typed.trim().toLowerCase().replace(/kr\.?|sek|:-/g, "").replace(/\s+/g, "");
    if (text.split(",").length === 2 && text.indexOf(".") < 0) { text = text.replace(",", "."); }
    var match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
    if (!match) { return null; }
    return parseInt(match[1], 10) * 100 + (match[2] ? parseInt((match[2] + "0").slice(0, 2), 10) : 0);
  }

  function field(row, suffix) { return row.querySelector("[name$='-" + suffix + "']"); }

  function counted(row) {
    var remove = row.querySelector("input.delete");
    if (remove && remove.checked) { return null; }
    var amount = field(row, "amount");
    return amount && amount.value.trim() ? ore(amount.value) : null;
  }

  function cell(tag, text, label) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (tag === "th") { element.setAttribute("scope", "row"); }
    if (label) { element.setAttribute("data-label", label); }
    return element;
  }

  function showFunders(funders) {
    if (!funderTable) { return; }
    var body = funderTable.tBodies[0];
    var names = Object.keys(funders).sort(function (a, b) { return a.localeCompare(b, undefined, {numeric: true}); });
    while (body.firstChild) { body.removeChild(body.firstChild); }
    var count = document.getElementById("funder-count");
    if (count) { count.textContent = String(names.length); }
    if (!names.length) {
      var empty = document.createElement("tr");
      var td = cell("td", funderTable.getAttribute("data-empty"));
      td.setAttribute("colspan", "2");
      empty.appendChild(td);
      body.appendChild(empty);
    }
    names.forEach(function (name) {
      var tr = document.createElement("tr");
      tr.appendChild(cell("th", name || funderTable.getAttribute("data-none")));
      tr.appendChild(cell("td", sek(funders[name]), funderTable.getAttribute("data-amount")));
      body.appendChild(tr);
    });
  }

  function recount() {
    var partners = {}, funders = {}, costs = 0, funding = 0;
    function partner(key) {
      if (!partners[key]) { partners[key] = {costs: 0, funding: 0, "public": 0}; }
      return partners[key];
    }
    Array.prototype.forEach.call(form.querySelectorAll("tr.cost-row"), function (row) {
      var amount = counted(row);
      if (amount === null) { return; }
      partner(field(row, "partner").value).costs += amount;
      costs += amount;
    });
    Array.prototype.forEach.call(form.querySelectorAll("tr.fund-row"), function (row) {
      var amount = counted(row);
      if (amount === null) { return; }
      var sums = partner(field(row, "partner").value);
      sums.funding += amount;
      if (field(row, "kind").value !== "private") { sums["public"] += amount; }
      var typed = field(row, "source").value.trim();
      var name = known[typed.toLowerCase()] || typed;
      funders[name] = (funders[name] || 0) + amount;
      funding += amount;
    });
    Array.prototype.forEach.call(form.querySelectorAll("details[data-partner]"), function (group) {
      var sums = partners[group.getAttribute("data-partner")] || {costs: 0, funding: 0, "public": 0};
      ["costs", "funding", "public"].forEach(function (what) {
        group.querySelector("output[data-total='" + what + "']").textContent = sek(sums[what]);
      });
    });
    document.getElementById("total-costs").textContent = sek(costs);
    document.getElementById("total-funding").textContent = sek(funding);
    showFunders(funders);
  }

  form.addEventListener("input", recount);
  form.addEventListener("change", recount);
}());
