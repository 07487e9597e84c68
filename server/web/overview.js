// SPDX-License-Identifier: MIT
// The overview: GET /api/v1/overview for a period (the server sums the discipline rules per
// unit and per date, within the caller's scope, from its cache) as a table, a bar chart of
// each unit's compliance rate (the share of the person-days expected at work that were on
// time: no late arrival, no early leave, not absent) and a line chart of that rate date by
// date. The downloads are the same route as CSV and XLSX: exactly the table shown.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

// A rate as text; a dash when there was no working day to measure.
function pct(rate) {
  return rate === null || rate === undefined ? "–" : `${Hadir.num(rate * 100, 1)}%`;
}

// A unit's row links to its unit page for the same period. Its last three columns are its
// kiosks as they are now (not over the period): assigned, not synced recently, tamper alerts.
function renderTable(units, from, to) {
  const body = document.querySelector("#units tbody");
  const nf = Hadir.num;
  body.replaceChildren();
  for (const u of units) {
    const tr = document.createElement("tr");
    const cells = [u.unit_id, u.name, nf(u.staff), pct(u.compliance), nf(u.late), nf(u.early),
      nf(u.tk_days), nf(u.deduction), nf(u.at_threshold), nf(u.kiosks), nf(u.kiosks_stale),
      nf(u.alerts)];
    cells.forEach((text, i) => {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) {
        const a = document.createElement("a");
        a.href = `/web/unit.html?${new URLSearchParams({ unit: u.unit_id, from, to })}`;
        a.textContent = text;
        td.append(a);
      } else {
        td.textContent = text;
        if (i > 1) td.className = "num";
        // Kiosks not synced recently, and tamper alerts, stand out like a sanction threshold.
        if (i === 8) td.classList.add("threshold");
        if ((i === 10 && u.kiosks_stale > 0) || (i === 11 && u.alerts > 0)) td.classList.add("warn");
      }
      tr.append(td);
    });
    if (u.at_threshold > 0) tr.className = "at-threshold";
    tr.dataset.unit = u.unit_id;
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
function renderBars(units) {
  const chart = document.getElementById("chart");
  const row = 26, label = 120, width = 560;
  chart.replaceChildren(chart.querySelector("title"));
  chart.setAttribute("viewBox", `0 0 ${width} ${units.length * row + 4}`);
  units.forEach((u, i) => {
    const y = i * row + 2, w = Math.round((u.compliance || 0) * (width - label - 60));
    chart.append(svg("text", { x: 0, y: y + 17, class: "label" }, u.unit_id));
    chart.append(svg("rect", { x: label, y, width: Math.max(w, 1), height: row - 6, class: "bar" }));
    chart.append(svg("text", { x: label + w + 6, y: y + 17, class: "value" }, pct(u.compliance)));
  });
}

// The daily on-time rate as a line over the period's dates, 0..100%; a date without a
// working day (a weekend, a holiday) breaks the line rather than showing as 0%.
function renderLine(daily) {
  const chart = document.getElementById("daily");
  const width = 560, height = 200, left = 44, right = 12, top = 10, bottom = 28;
  const plotW = width - left - right, plotH = height - top - bottom;
  const x = (i) => left + (daily.length > 1 ? (i * plotW) / (daily.length - 1) : plotW / 2);
  const y = (rate) => top + (1 - rate) * plotH;
  chart.replaceChildren(chart.querySelector("title"));
  chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
  for (const tick of [0, 0.5, 1]) {
    chart.append(svg("line", { x1: left, x2: width - right, y1: y(tick), y2: y(tick), class: "grid" }));
    chart.append(svg("text", { x: left - 6, y: y(tick) + 4, class: "axis", "text-anchor": "end" },
      `${tick * 100}%`));
  }
  let d = "", pen = "M";
  daily.forEach((day, i) => {
    if (day.rate === null) {
      pen = "M";
      return;
    }
    d += `${pen}${x(i).toFixed(1)},${y(day.rate).toFixed(1)} `;
    pen = "L";
  });
  if (d) chart.append(svg("path", { d: d.trim(), class: "line" }));
  daily.forEach((day, i) => {
    if (day.rate === null) return;
    const dot = svg("circle", { cx: x(i).toFixed(1), cy: y(day.rate).toFixed(1), r: 3, class: "dot" });
    dot.dataset.date = day.date;
    dot.append(svg("title", {}, `${day.date}: ${pct(day.rate)} (${Hadir.num(day.on_time)}/${Hadir.num(day.working)})`));
    chart.append(dot);
  });
  // The first and last dates, and the middle one of a long period.
  const marks = [...new Set([0, Math.floor((daily.length - 1) / 2), daily.length - 1])];
  for (const i of marks) {
    if (!daily[i]) continue;
    const anchor = i === 0 ? "start" : i === daily.length - 1 ? "end" : "middle";
    chart.append(svg("text", { x: x(i), y: height - 8, class: "axis", "text-anchor": anchor },
      daily[i].date));
  }
}

function setDownloads(from, to) {
  for (const format of ["csv", "xlsx"]) {
    document.getElementById(`overview-${format}`).href =
      `/api/v1/overview?${new URLSearchParams({ from, to, format })}`;
  }
}

async function show() {
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const from = document.getElementById("from").value;
  const to = document.getElementById("to").value;
  status.textContent = Hadir.t("status.loading");
  result.hidden = true;
  const r = await Hadir.api("GET", `/api/v1/overview?${new URLSearchParams({ from, to })}`);
  if (r.status === 401) {
    location.replace("/");
    return;
  }
  if (r.status !== 200 || !r.body || !Array.isArray(r.body.units)) {
    status.textContent = Hadir.t(r.status === 403 ? "status.forbidden"
      : r.status === 404 ? "status.unavailable" : "status.error");
    return;
  }
  const units = r.body.units;
  if (units.length === 0) {
    status.textContent = Hadir.t("status.empty");
    return;
  }
  status.textContent = "";
  renderTable(units, from, to);
  renderBars(units);
  renderLine(r.body.daily || []);
  setDownloads(from, to);
  document.getElementById("computed").textContent = Hadir.t("overview.computed")
    .replace("{time}", new Date(r.body.computed_usec / 1000).toLocaleString(
      Hadir.lang() === "en" ? "en-GB" : "id-ID"));
  result.hidden = false;
}

document.addEventListener("DOMContentLoaded", () => Hadir.page(show));
