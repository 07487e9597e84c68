// SPDX-License-Identifier: MIT
// The unit page: one unit's employees for a period from GET /api/v1/reports/discipline?unit=
// (the server decides whether the caller may see the unit: 403 shows no data), sortable by
// any column, filtered by name or NIP and shown 50 rows at a time, so a unit of thousands
// renders as fast as one of ten. Employees whose year to date recommends a sanction are
// highlighted with it. The downloads are the same route as CSV and XLSX with the page's view
// (q, sort, order) and columns=page: the server filters and sorts by the same rules as
// matches() and compare() below (server/view.c), so a file holds every row the filter
// keeps, in the table's order and columns, not only the 50 rows on screen. A name opens
// the employee's page for the same period.
"use strict";

const PAGE_ROWS = 50;
const LEVELS = { ringan: 1, sedang: 2, berat: 3 };

const view = { rows: [], shown: [], key: "name", dir: 1, page: 0, unit: "", from: "", to: "" };

// A–Z to a–z only: the server folds the same bytes, and no more (toLowerCase() folds more).
function fold(s) {
  return s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// Code point order, as the server compares UTF-8 bytes (< on strings compares UTF-16 units).
function textOrder(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i === n ? a.length - b.length : a.codePointAt(i) - b.codePointAt(i);
}

// A report employee as the row the table shows and sorts by.
function toRow(e) {
  const s = e.year && e.year.sanction;
  return {
    nip: e.nip,
    name: e.name || "",
    present: e.present_days || 0,
    late: e.late_minutes || 0,
    early: e.early_minutes || 0,
    tk: e.tk_days || 0,
    pct: e.deduction_pct || 0,
    amount: e.deduction_amount || 0,
    // By level, then by the year's TK and TK-equivalent days.
    sanction: s ? LEVELS[s.level] * 1e6 + (e.year.total_days || 0) : -1,
    s,
    folded: { nip: fold(e.nip), name: fold(e.name || "") },
  };
}

// The search: a case-insensitive (A–Z) substring of the NIP or of the name.
function matches(r, q) {
  return r.folded.nip.includes(q) || r.folded.name.includes(q);
}

// By the column (text A–Z folded), in its direction; ties by NIP, always ascending.
function compare(a, b) {
  const text = view.key === "nip" || view.key === "name";
  const c = text ? textOrder(a.folded[view.key], b.folded[view.key]) : a[view.key] - b[view.key];
  return Math.sign(c) * view.dir || textOrder(a.nip, b.nip);
}

// The exports: this view of the whole filtered list, as the server makes it.
function exportLinks(q) {
  const order = view.dir > 0 ? "asc" : "desc";
  for (const format of ["csv", "xlsx"]) {
    const a = document.getElementById(format);
    a.href = `/api/v1/reports/discipline?${new URLSearchParams({ unit: view.unit, from: view.from,
      to: view.to, q, sort: view.key, order, columns: "page", format })}`;
    a.title = Hadir.t("unit.exportTitle");
  }
}

// Filter and sort again, back to the first page.
function refresh() {
  const typed = document.getElementById("filter").value.trim();
  const q = fold(typed);
  view.shown = (q ? view.rows.filter((r) => matches(r, q)) : view.rows.slice()).sort(compare);
  view.page = 0;
  exportLinks(typed);
  render();
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
}

function render() {
  const body = document.querySelector("#staff tbody");
  const n = Hadir.num;
  const pages = Math.max(1, Math.ceil(view.shown.length / PAGE_ROWS));
  view.page = Math.min(view.page, pages - 1);
  body.replaceChildren();
  for (const r of view.shown.slice(view.page * PAGE_ROWS, (view.page + 1) * PAGE_ROWS)) {
    const tr = document.createElement("tr");
    tr.dataset.nip = r.nip;
    cell(tr, r.nip);
    const link = document.createElement("a");
    link.href = `/web/employee.html?${new URLSearchParams({ nip: r.nip, from: view.from, to: view.to })}`;
    link.textContent = r.name;
    cell(tr, "");
    tr.lastChild.append(link);
    cell(tr, n(r.present), "num");
    cell(tr, n(r.late), "num");
    cell(tr, n(r.early), "num");
    cell(tr, n(r.tk), "num");
    cell(tr, `${n(r.pct, 2)}%`, "num");
    cell(tr, n(r.amount), "num");
    if (r.s) {
      tr.className = `sanctioned level-${r.s.level}`;
      cell(tr, `${r.s.text} (${Hadir.t(`sanction.${r.s.level}`)})`, "sanction");
    } else {
      cell(tr, "–");
    }
    body.append(tr);
  }
  if (view.shown.length === 0) {
    const tr = document.createElement("tr");
    cell(tr, Hadir.t("unit.nomatch"));
    tr.firstChild.colSpan = 9;
    body.append(tr);
  }
  for (const th of document.querySelectorAll("#staff th[data-key]"))
    th.setAttribute("aria-sort", th.dataset.key !== view.key ? "none"
      : view.dir > 0 ? "ascending" : "descending");
  document.getElementById("page").textContent = Hadir.t("unit.page")
    .replace("{page}", n(view.page + 1)).replace("{pages}", n(pages)).replace("{rows}", n(view.shown.length));
  document.getElementById("prev").disabled = view.page === 0;
  document.getElementById("next").disabled = view.page >= pages - 1;
}

// Each show() is numbered; a reply to an older one (the period or the language changed
// meanwhile) is dropped rather than shown over the newer one.
let latest = 0;

async function show() {
  const seq = ++latest;
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const unit = new URLSearchParams(location.search).get("unit") || "";
  const from = document.getElementById("from").value;
  const to = document.getElementById("to").value;
  document.getElementById("unit-id").textContent = unit;
  document.getElementById("unit-name").textContent = "";
  result.hidden = true;
  if (!unit) {
    status.textContent = Hadir.t("unit.missing");
    return;
  }
  history.replaceState(null, "", `?${new URLSearchParams({ unit, from, to })}`);
  document.getElementById("back").href = `/web/overview.html?${new URLSearchParams({ from, to })}`;
  status.textContent = Hadir.t("status.loading");
  const r = await Hadir.api("GET", `/api/v1/reports/discipline?${new URLSearchParams({ unit, from, to })}`);
  if (seq !== latest) return;
  if (r.status === 401) {
    location.replace("/");
    return;
  }
  if (r.status !== 200 || !r.body || !Array.isArray(r.body.employees)) {
    view.rows = [];
    status.textContent = Hadir.t(r.status === 403 ? "status.forbidden"
      : r.status === 404 ? "unit.notfound" : "status.error");
    return;
  }
  view.rows = r.body.employees.map(toRow);
  view.unit = unit;
  view.from = from;
  view.to = to;
  document.getElementById("unit-name").textContent = r.body.unit_name ? `— ${r.body.unit_name}` : "";
  document.title = `Hadir — ${r.body.unit_name || unit}`;
  status.textContent = view.rows.length ? "" : Hadir.t("status.empty");
  result.hidden = false;
  refresh();
}

document.addEventListener("DOMContentLoaded", () => {
  for (const th of document.querySelectorAll("#staff th[data-key]")) {
    th.querySelector("button").addEventListener("click", () => {
      view.dir = view.key === th.dataset.key ? -view.dir : 1;
      view.key = th.dataset.key;
      refresh();
    });
  }
  document.getElementById("filter").addEventListener("input", refresh);
  document.getElementById("prev").addEventListener("click", () => {
    view.page -= 1;
    render();
  });
  document.getElementById("next").addEventListener("click", () => {
    view.page += 1;
    render();
  });
  Hadir.page(show);
});
