// SPDX-License-Identifier: MIT
// The overview: the discipline report of a period (GET /api/v1/reports/discipline, which
// answers with the caller's scope only), summed per unit into a table and a bar chart
// of the compliance rate: the share of working days on which a person came in on time.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

function sum(obj) {
  return Object.values(obj || {}).reduce((a, b) => a + (Number(b) || 0), 0);
}

// Per unit: head count, working and on-time days, late and early counts, TK days, deductions.
function byUnit(employees) {
  const units = new Map();
  for (const e of employees) {
    const u = units.get(e.unit_id) || {
      unit: e.unit_id, staff: 0, working: 0, onTime: 0, late: 0, early: 0, tk: 0, deduction: 0,
    };
    const late = sum(e.tl);
    u.staff += 1;
    u.working += e.working_days || 0;
    u.onTime += Math.max(0, (e.present_days || 0) - late);
    u.late += late;
    u.early += sum(e.psw);
    u.tk += e.tk_days || 0;
    u.deduction += e.deduction_amount || 0;
    units.set(e.unit_id, u);
  }
  return [...units.values()].sort((a, b) => a.unit.localeCompare(b.unit));
}

function rate(u) {
  return u.working > 0 ? u.onTime / u.working : 0;
}

// The rate as text; a dash for a unit with no working day tracked yet.
function pct(u) {
  return u.working > 0 ? `${(rate(u) * 100).toFixed(1)}%` : "–";
}

// A unit's row links to its unit page for the same period.
function renderTable(units, from, to) {
  const body = document.querySelector("#units tbody");
  const nf = Hadir.num;
  body.replaceChildren();
  for (const u of units) {
    const tr = document.createElement("tr");
    const cells = [u.unit, nf(u.staff), pct(u), nf(u.late), nf(u.early), nf(u.tk), nf(u.deduction)];
    cells.forEach((text, i) => {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) {
        const a = document.createElement("a");
        a.href = `/web/unit.html?${new URLSearchParams({ unit: u.unit, from, to })}`;
        a.textContent = text;
        td.append(a);
      } else {
        td.textContent = text;
        td.className = "num";
      }
      tr.append(td);
    });
    tr.dataset.unit = u.unit;
    body.append(tr);
  }
}

function svg(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// Horizontal bars, one per unit, 0..100%.
function renderChart(units) {
  const chart = document.getElementById("chart");
  const row = 26, label = 120, width = 560;
  chart.replaceChildren(chart.querySelector("title"));
  chart.setAttribute("viewBox", `0 0 ${width} ${units.length * row + 4}`);
  units.forEach((u, i) => {
    const y = i * row + 2, w = Math.round(rate(u) * (width - label - 60));
    chart.append(svg("text", { x: 0, y: y + 17, class: "label" }, u.unit));
    chart.append(svg("rect", { x: label, y, width: Math.max(w, 1), height: row - 6, class: "bar" }));
    chart.append(svg("text", { x: label + w + 6, y: y + 17, class: "value" }, pct(u)));
  });
}

async function show() {
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const from = document.getElementById("from").value;
  const to = document.getElementById("to").value;
  status.textContent = Hadir.t("status.loading");
  result.hidden = true;
  const q = new URLSearchParams({ from, to, format: "json" });
  const r = await Hadir.api("GET", `/api/v1/reports/discipline?${q}`);
  if (r.status === 401) {
    location.replace("/");
    return;
  }
  if (r.status !== 200 || !r.body || !Array.isArray(r.body.employees)) {
    status.textContent = Hadir.t(r.status === 403 ? "status.forbidden"
      : r.status === 404 ? "status.unavailable" : "status.error");
    return;
  }
  const units = byUnit(r.body.employees);
  if (units.length === 0) {
    status.textContent = Hadir.t("status.empty");
    return;
  }
  status.textContent = "";
  renderTable(units, from, to);
  renderChart(units);
  result.hidden = false;
}

document.addEventListener("DOMContentLoaded", () => Hadir.page(show));
