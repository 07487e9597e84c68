// SPDX-License-Identifier: MIT
// The overview's kiosk section: GET /api/v1/devices (a superadmin's every kiosk, a unit
// admin's the kiosks of their units) as a table of last sync, outbox, clock offset and
// tamper alerts, stale kiosks and kiosks with alerts marked, and the latest alerts.
// Others get 403: the section stays hidden. The page's login and redirect are overview.js's.
"use strict";

(() => {
  const REFRESH_MS = 60000;
  let last = null; // the last reply, drawn again on a language switch

  // "5 minutes ago" in the page's language.
  function ago(usec) {
    const rtf = new Intl.RelativeTimeFormat(Hadir.lang() === "en" ? "en" : "id", { numeric: "auto" });
    const s = Math.round((usec - Date.now() * 1000) / 1e6);
    const steps = [[60, "second"], [60, "minute"], [24, "hour"], [Infinity, "day"]];
    let v = s;
    for (const [size, unit] of steps) {
      if (Math.abs(v) < size) return rtf.format(v, unit);
      v = Math.round(v / size);
    }
    return "";
  }

  function when(usec) {
    return new Date(usec / 1000).toLocaleString(Hadir.lang() === "en" ? "en-GB" : "id-ID");
  }

  function offset(d) {
    if (d.clock_offset_usec === null) return "–";
    const s = d.clock_offset_usec / 1e6;
    const text = `${s > 0 ? "+" : ""}${Hadir.num(s, 1)} ${Hadir.t("devices.seconds")}`;
    return d.clock_trusted ? text : `${text} ${Hadir.t("devices.untrusted")}`;
  }

  function cell(tr, tag, text, cls) {
    const c = document.createElement(tag);
    c.textContent = text;
    if (cls) c.className = cls;
    tr.append(c);
    return c;
  }

  function renderTable(devices) {
    const body = document.querySelector("#device-table tbody");
    body.replaceChildren();
    for (const d of devices) {
      const tr = document.createElement("tr");
      tr.dataset.device = d.name;
      tr.classList.toggle("stale", d.stale);
      tr.classList.toggle("alerting", d.alerts > 0);
      tr.classList.toggle("disabled", d.disabled);
      const name = cell(tr, "th", d.name);
      for (const [flag, key] of [[d.stale, "devices.stale"], [d.disabled, "devices.disabled"]]) {
        if (!flag) continue;
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = Hadir.t(key);
        name.append(" ", badge);
      }
      cell(tr, "td", d.units.length ? d.units.join(", ") : "–");
      const sync = cell(tr, "td", d.last_sync_usec === null ? Hadir.t("devices.never") : ago(d.last_sync_usec));
      if (d.last_sync_usec !== null) sync.title = when(d.last_sync_usec);
      cell(tr, "td", d.outbox === null ? "–" : Hadir.num(d.outbox), "num");
      cell(tr, "td", offset(d), "num");
      cell(tr, "td", Hadir.num(d.alerts), "num alerts");
      body.append(tr);
    }
  }

  function renderAlerts(alerts) {
    const list = document.getElementById("device-alerts");
    list.replaceChildren();
    for (const a of alerts) {
      const li = document.createElement("li");
      const kind = Hadir.t(`alert.${a.kind}`);
      li.textContent = `${when(a.created_usec)} · ${a.device} #${a.seq} · ${kind}: ${a.detail}`;
      list.append(li);
    }
    if (!alerts.length) {
      const li = document.createElement("li");
      li.textContent = Hadir.t("devices.noAlerts");
      list.append(li);
    }
  }

  function render() {
    const section = document.getElementById("devices");
    const status = document.getElementById("devices-status");
    if (!last) return;
    section.hidden = false;
    status.textContent = last.devices.length ? "" : Hadir.t("devices.none");
    status.hidden = last.devices.length > 0;
    renderTable(last.devices);
    renderAlerts(last.alerts);
  }

  async function load() {
    const r = await Hadir.api("GET", "/api/v1/devices");
    if (r.status !== 200 || !r.body) return; // 403: not for this role; 401: overview.js redirects
    last = r.body;
    render();
  }

  document.addEventListener("DOMContentLoaded", () => {
    load();
    setInterval(load, REFRESH_MS);
  });
  document.addEventListener("hadir:lang", render);
})();
