// SPDX-License-Identifier: MIT
// The employee page: one person's days for a period from GET /api/v1/employees/NIP/days
// (schedule, taps and what each was used for, check-in/out, late and early minutes, tiers,
// leave, TK, the day's deduction and the server's reasons), the period's totals, and their
// activities with the review status from GET /api/v1/activities?nip=. The server decides
// what the caller may see: a 403 on the days shows no data; a 403 on the activities (only
// superadmins and supervisors may list them) shows a note and leaves the days in place.
// Both tables download as CSV and XLSX from the same routes (format=csv|xlsx): the server
// writes the page's columns and texts (server/page_tables.c).
"use strict";

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}

// A cell holding one line per item.
function listCell(tr, items, cls) {
  const td = cell(tr, "", cls);
  const ul = document.createElement("ul");
  ul.className = "lines";
  for (const item of items) {
    const li = document.createElement("li");
    li.textContent = item.text;
    if (item.use) li.dataset.use = item.use;
    ul.append(li);
  }
  td.append(ul);
  return td;
}

function fill(text, values) {
  return Object.entries(values).reduce((s, [k, v]) => s.replace(`{${k}}`, v), text);
}

function schedule(d) {
  if (d.working && d.schedule) return `${d.schedule.start}–${d.schedule.end}`;
  const off = Hadir.t(`off.${d.off}`);
  return d.holiday ? `${off}: ${d.holiday}` : off;
}

function leave(d) {
  if (!d.leave) return "–";
  if (d.leave.whole_day) return d.leave.code;
  return fill(Hadir.t("leave.partial"), { code: d.leave.code, from: d.leave.from, until: d.leave.until });
}

function dayRow(d) {
  const n = Hadir.num;
  const tr = document.createElement("tr");
  tr.dataset.date = d.date;
  if (d.tk) tr.className = "tk";
  else if (!d.working) tr.className = "off";
  cell(tr, `${Hadir.t(`weekday.${d.weekday}`)}, ${d.date}`, "nowrap");
  cell(tr, schedule(d));
  listCell(tr, d.taps.map((tap) => ({ text: `${tap.time.slice(11, 19)} ${Hadir.t(`use.${tap.use}`)}`,
    use: tap.use })));
  cell(tr, d.check_in || "–");
  cell(tr, d.check_out || "–");
  cell(tr, n(d.late_minutes), "num");
  cell(tr, n(d.early_minutes), "num");
  cell(tr, [d.tl, d.psw].filter(Boolean).join(" ") || "–");
  cell(tr, leave(d));
  cell(tr, d.tk ? "TK" : "–");
  cell(tr, `${n(d.deduction_pct, 2)}%`, "num");
  listCell(tr, d.reasons.map((text) => ({ text })), "reasons");
  return tr;
}

// "10 (TL1 1, TL3 2)": a count with its non-zero parts.
function withParts(total, parts) {
  const nonZero = Object.entries(parts || {}).filter(([, v]) => v > 0);
  const n = Hadir.num(total);
  return nonZero.length ? `${n} (${nonZero.map(([k, v]) => `${k} ${Hadir.num(v)}`).join(", ")})` : n;
}

function showTotals(t) {
  const n = Hadir.num;
  const s = t.year && t.year.sanction;
  const leaveDays = Object.entries(t.leave_days || {}).filter(([, v]) => v > 0);
  const items = [
    ["working_days", "col.workingDays", n(t.working_days)],
    ["present_days", "col.present", n(t.present_days)],
    ["late_minutes", "col.lateMin", withParts(t.late_minutes, t.tl)],
    ["early_minutes", "col.earlyMin", withParts(t.early_minutes, t.psw)],
    ["tk_days", "col.tk", n(t.tk_days)],
    ["leave_days", "col.leaveDays", leaveDays.length ? leaveDays.map(([k, v]) => `${k} ${n(v)}`).join(", ") : "0"],
    ["deduction_pct", "col.deductionPct", `${n(t.deduction_pct, 2)}%`],
    ["deduction_amount", "col.deduction", n(t.deduction_amount)],
    ["sanction", "col.sanction", s ? `${s.text} (${Hadir.t(`sanction.${s.level}`)})` : "–"],
  ];
  const dl = document.getElementById("totals");
  dl.replaceChildren();
  for (const [key, label, value] of items) {
    const div = document.createElement("div");
    div.dataset.key = key;
    const dt = document.createElement("dt");
    dt.textContent = Hadir.t(label);
    const dd = document.createElement("dd");
    dd.textContent = value;
    div.append(dt, dd);
    dl.append(div);
  }
  dl.classList.toggle("sanctioned", Boolean(s));
}

function activityRow(a) {
  const tr = document.createElement("tr");
  tr.dataset.id = a.id;
  cell(tr, a.date, "nowrap");
  cell(tr, `${a.start}–${a.end}`, "nowrap");
  cell(tr, a.plan || "–");
  cell(tr, a.description);
  cell(tr, `${Hadir.num(a.quantity)} ${a.unit}`, "num");
  const st = cell(tr, Hadir.t(`activity.${a.status}`), `review ${a.status}`);
  st.dataset.status = a.status;
  cell(tr, a.comment || a.reason || "–");
  return tr;
}

// Each show() is numbered; a reply to an older one (the period or the language changed
// meanwhile) is dropped rather than mixed into the page.
let latest = 0;

// The two download links of a table: its route with format=csv and format=xlsx.
function downloads(prefix, route, params) {
  for (const format of ["csv", "xlsx"])
    document.getElementById(`${prefix}-${format}`).href = `${route}?${new URLSearchParams({ ...params, format })}`;
}

async function showActivities(seq, nip, from, to) {
  const note = document.getElementById("act-status");
  const wrap = document.getElementById("act-wrap");
  const tools = document.getElementById("act-tools");
  const body = document.querySelector("#activities tbody");
  body.replaceChildren();
  wrap.hidden = true;
  tools.hidden = true;
  note.textContent = Hadir.t("status.loading");
  const r = await Hadir.api("GET", `/api/v1/activities?${new URLSearchParams({ nip, from, to })}`);
  if (seq !== latest) return;
  if (r.status !== 200 || !r.body || !Array.isArray(r.body.activities)) {
    note.textContent = Hadir.t(r.status === 403 ? "employee.activitiesForbidden" : "status.error");
    return;
  }
  note.textContent = r.body.activities.length ? "" : Hadir.t("employee.noActivities");
  body.append(...r.body.activities.map(activityRow));
  wrap.hidden = r.body.activities.length === 0;
  downloads("act", "/api/v1/activities", { nip, from, to });
  tools.hidden = wrap.hidden;
}

async function show() {
  const seq = ++latest;
  const status = document.getElementById("status");
  const result = document.getElementById("result");
  const nip = new URLSearchParams(location.search).get("nip") || "";
  const from = document.getElementById("from").value;
  const to = document.getElementById("to").value;
  const back = document.getElementById("back");
  document.getElementById("emp-nip").textContent = "";
  document.getElementById("emp-name").textContent = "";
  result.hidden = true;
  back.href = `/web/overview.html?${new URLSearchParams({ from, to })}`;
  if (!nip) {
    status.textContent = Hadir.t("employee.missing");
    return;
  }
  history.replaceState(null, "", `?${new URLSearchParams({ nip, from, to })}`);
  status.textContent = Hadir.t("status.loading");
  const route = `/api/v1/employees/${encodeURIComponent(nip)}/days`;
  const r = await Hadir.api("GET", `${route}?${new URLSearchParams({ from, to })}`);
  if (seq !== latest) return;
  if (r.status === 401) {
    location.replace("/");
    return;
  }
  if (r.status !== 200 || !r.body || !Array.isArray(r.body.days)) {
    status.textContent = Hadir.t(r.status === 403 ? "status.forbidden"
      : r.status === 404 ? "employee.notfound" : "status.error");
    return;
  }
  const e = r.body;
  document.getElementById("emp-nip").textContent = e.nip;
  document.getElementById("emp-name").textContent = e.name || "";
  document.getElementById("emp-unit").textContent = fill(Hadir.t("employee.unit"),
    { unit: e.unit_id, tz: e.timezone });
  back.href = `/web/unit.html?${new URLSearchParams({ unit: e.unit_id, from, to })}`;
  showTotals(e.totals);
  document.querySelector("#days tbody").replaceChildren(...e.days.map(dayRow));
  downloads("days", route, { from, to });
  status.textContent = "";
  result.hidden = false;
  await showActivities(seq, nip, from, to);
}

document.addEventListener("DOMContentLoaded", () => Hadir.page(show));
