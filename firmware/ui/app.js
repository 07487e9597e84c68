// SPDX-License-Identifier: MIT
// The kiosk screen. The kiosk pushes its state over /api/events whenever a tap is answered
// or a session ends; the views follow it. Everything a person writes goes through the
// session's token, which the kiosk forgets when the session ends.
"use strict";

const TEXT = {
  id: {
    tap_hint: "Tempelkan kartu atau jari Anda",
    last_taps: "Kehadiran terakhir",
    hello: "Selamat datang,",
    on_time: "Tepat waktu",
    late: (n) => `Terlambat ${n} menit`,
    at: (t) => `Tercatat pukul ${t}`,
    refused: "Ditolak",
    reason_unknown: "kartu tidak terdaftar",
    reason_failed: "tidak dapat menyimpan",
    reason_read: "kartu tidak terbaca, coba lagi",
    log_activity: "Catat kegiatan",
    correct_activity: "Koreksi kegiatan",
    today_list: "Kegiatan hari ini",
    done: "Selesai",
    plan: "Rencana kerja (RHK)",
    free_text: "Lainnya (tulis sendiri)",
    description: "Uraian kegiatan",
    quantity: "Jumlah",
    unit: "Satuan",
    start: "Mulai",
    end: "Selesai",
    save: "Simpan",
    cancel: "Batal",
    correct: "Koreksi",
    withdraw: "Hapus",
    confirm_withdraw: "Hapus kegiatan ini?",
    no_entries: "Belum ada kegiatan hari ini.",
    saved: "Tersimpan",
    unknown_person: "tidak dikenal",
    accepted: "diterima",
    rejected: "ditolak",
    days: ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    months: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
      "September", "Oktober", "November", "Desember"],
    errors: {
      description_empty: "Uraian kegiatan wajib diisi, atau pilih rencana kerja.",
      description_long: "Uraian kegiatan terlalu panjang (paling banyak 500 karakter).",
      description_chars: "Uraian kegiatan berisi karakter yang tidak diizinkan.",
      quantity: "Jumlah harus 1 sampai 9999.",
      unit: "Satuan wajib diisi (paling banyak 32 karakter).",
      time: "Isi jam mulai dan jam selesai (JJ:MM).",
      start_after_end: "Jam mulai harus sebelum jam selesai.",
      plan: "Rencana kerja tidak dikenal.",
      supersedes: "Kegiatan yang dikoreksi tidak ditemukan.",
      withdrawn: "Hanya kegiatan yang ada yang dapat dihapus.",
      too_many: "Terlalu banyak kegiatan untuk hari ini.",
      too_big: "Isian terlalu panjang.",
      session: "Sesi berakhir. Tempelkan kartu Anda lagi.",
      other: "Tidak dapat menyimpan. Coba lagi.",
    },
  },
  en: {
    tap_hint: "Present your card or finger",
    last_taps: "Latest check-ins",
    hello: "Welcome,",
    on_time: "On time",
    late: (n) => `${n} minute${n === 1 ? "" : "s"} late`,
    at: (t) => `Recorded at ${t}`,
    refused: "Refused",
    reason_unknown: "card not registered",
    reason_failed: "could not record",
    reason_read: "card could not be read, try again",
    log_activity: "Log activity",
    correct_activity: "Correct activity",
    today_list: "Today's activities",
    done: "Done",
    plan: "Plan item (RHK)",
    free_text: "Other (type it)",
    description: "Description",
    quantity: "Quantity",
    unit: "Unit",
    start: "Start",
    end: "End",
    save: "Save",
    cancel: "Cancel",
    correct: "Correct",
    withdraw: "Remove",
    confirm_withdraw: "Remove this activity?",
    no_entries: "No activities today yet.",
    saved: "Saved",
    unknown_person: "unknown",
    accepted: "accepted",
    rejected: "refused",
    days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    months: ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"],
    errors: {
      description_empty: "Describe the activity, or pick a plan item.",
      description_long: "The description is too long (500 characters at most).",
      description_chars: "The description has characters that are not allowed.",
      quantity: "Quantity must be 1 to 9999.",
      unit: "Enter a unit (32 characters at most).",
      time: "Enter the start and end times (HH:MM).",
      start_after_end: "The start must be before the end.",
      plan: "Unknown plan item.",
      supersedes: "The activity to correct was not found.",
      withdrawn: "Only an existing activity can be removed.",
      too_many: "Too many activities for today.",
      too_big: "The entry is too long.",
      session: "Your session ended. Present your card again.",
      other: "Could not save. Please try again.",
    },
  },
};

const REFUSED_MS = 5000;
const TOUCH_EVERY_MS = 10000;

const $ = (id) => document.getElementById(id);
let state = null;          // the kiosk's last pushed state
let lang = "id";
let clockOffsetMs = 0;     // office local time minus this browser's clock
let lastEventId = null;    // null until the first state arrived
let token = null;          // the session being shown
let plans = [];
let chosenPlan = "";
let correcting = null;     // the entry being corrected, or null
let refusedTimer = null;
let lastTouch = 0;

function t(key) {
  return TEXT[lang][key];
}

function show(view) {
  for (const v of document.querySelectorAll(".view")) v.hidden = v.id !== view;
  document.body.dataset.view = view;
}

function current() {
  return document.body.dataset.view;
}

function applyLang() {
  document.documentElement.lang = lang;
  $("lang-toggle").textContent = lang === "id" ? "EN" : "ID";
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
  $("form-title").textContent = correcting ? t("correct_activity") : t("log_activity");
  renderClock();
  if (state) {
    renderIdle();
    renderGreeting();
  }
  renderPlans();
  if (current() === "list") loadList();
  hideError("form-error");
}

// --- time ---

function localNow() {
  return new Date(Date.now() + clockOffsetMs);
}

function pad(n) {
  return String(n).padStart(2, "0");
}

function renderClock() {
  const d = localNow();
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  $("clock").textContent = hm;
  $("idle-time").textContent = `${hm}:${pad(d.getUTCSeconds())}`;
  $("idle-date").textContent =
    `${t("days")[d.getUTCDay()]}, ${d.getUTCDate()} ${t("months")[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function nowHHMM(roundTo) {
  const d = localNow();
  let m = d.getUTCHours() * 60 + d.getUTCMinutes();
  m -= m % roundTo;
  return `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

function addMinutes(hhmm, delta) {
  const parts = /^(\d{1,2}):(\d{2})$/.exec(hhmm || "") || [null, "8", "00"];
  const h = Number(parts[1]);
  const m = Number(parts[2]);
  let total = Math.min(Math.max(h * 60 + m + delta, 0), 23 * 60 + 59);
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

// --- kiosk state ---

function renderIdle() {
  $("office").textContent = state.office;
  $("idle-office").textContent = state.office || "Hadir";
  const ul = $("last-taps");
  ul.replaceChildren();
  for (const tap of state.last_taps) {
    const li = document.createElement("li");
    const who = tap.name || t("unknown_person");
    li.textContent = `${tap.time}  ${who}`;
    li.className = tap.outcome === "accepted" ? "ok" : "no";
    ul.append(li);
  }
}

function renderGreeting() {
  const ev = state.event;
  if (!ev || ev.outcome !== "accepted") return;
  $("greet-hello").textContent = t("hello");
  $("greet-name").textContent = ev.name;
  let status = t("at")(ev.time);
  if (ev.status === "on_time") status = `${t("on_time")} · ${ev.time}`;
  if (ev.status === "late") status = `${t("late")(ev.late_minutes)} · ${ev.time}`;
  $("greet-status").textContent = status;
  $("greet-status").className = `status ${ev.status}`;
}

function refusedText(ev) {
  let why = ev.reason;
  if (ev.outcome === "unknown") why = t("reason_unknown");
  if (ev.outcome === "failed") why = t("reason_failed");
  if (ev.outcome === "rejected") why = t("reason_read");
  return `${t("refused")}: ${why}`;
}

function onState(s) {
  const first = lastEventId === null;
  state = s;
  clockOffsetMs = s.now_usec / 1000 + s.tz_offset_sec * 1000 - Date.now();
  renderIdle();
  renderClock();
  const ev = s.event;
  const isNewTap = ev && !first && ev.id !== lastEventId;
  lastEventId = ev ? ev.id : 0;
  const session = s.session;

  if (isNewTap && ev.outcome !== "accepted") {
    token = null;
    $("refused-text").textContent = refusedText(ev);
    show("refused");
    clearTimeout(refusedTimer);
    refusedTimer = setTimeout(() => {
      if (current() === "refused") show(token ? "greeting" : "idle");
    }, REFUSED_MS);
    return;
  }
  if (!session) {
    if (token || current() !== "refused") endView();
    return;
  }
  if (session.token !== token || isNewTap) {
    // A new person (or the same one again): greet, with a fresh form.
    if (session.token !== token) lang = s.lang;
    token = session.token;
    correcting = null;
    applyLang();
    renderGreeting();
    show("greeting");
    loadPlans();
  }
}

function endView() {
  token = null;
  correcting = null;
  if (state) lang = state.lang;
  applyLang();
  show("idle");
}

// --- API ---

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${token}` };
  if (body) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  let data = {};
  try {
    data = await res.json();
  } catch (e) {
    data = { error: "other" };
  }
  if (res.status === 401) {
    endView();
  }
  return { ok: res.ok, status: res.status, data };
}

function errorText(key) {
  const errors = t("errors");
  return errors[key] || errors.other;
}

function showError(id, key) {
  $(id).textContent = errorText(key);
  $(id).hidden = false;
}

function hideError(id) {
  $(id).hidden = true;
}

function touch() {
  if (!token || Date.now() - lastTouch < TOUCH_EVERY_MS) return;
  lastTouch = Date.now();
  api("POST", "/api/session/touch");
}

// --- plans and the form ---

async function loadPlans() {
  const res = await api("GET", "/api/plans");
  plans = res.ok ? res.data.plans : [];
  renderPlans();
}

function renderPlans() {
  const box = $("plan-list");
  box.replaceChildren();
  const options = plans.map((p) => ({ code: p.code, label: `${p.code} · ${p.title}` }));
  options.push({ code: "", label: t("free_text") });
  for (const o of options) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "choice" + (o.code === chosenPlan ? " chosen" : "");
    b.dataset.code = o.code;
    b.textContent = o.label;
    b.addEventListener("click", () => {
      chosenPlan = o.code;
      renderPlans();
    });
    box.append(b);
  }
}

function openForm(entry) {
  correcting = entry || null;
  chosenPlan = entry ? entry.plan : "";
  $("description").value = entry ? entry.description : "";
  $("quantity").value = entry ? entry.quantity : 1;
  $("unit").value = entry ? entry.unit : "kegiatan";
  $("start").value = entry ? entry.start : addMinutes(nowHHMM(15), -60);
  $("end").value = entry ? entry.end : nowHHMM(15);
  $("form-title").textContent = entry ? t("correct_activity") : t("log_activity");
  hideError("form-error");
  renderPlans();
  show("form");
}

async function save() {
  const body = {
    plan: chosenPlan,
    description: $("description").value.replace(/[\r\n\t]+/g, " "),
    quantity: Number.parseInt($("quantity").value, 10) || 0,
    unit: $("unit").value,
    start: $("start").value,
    end: $("end").value,
    supersedes: correcting ? correcting.seq : 0,
  };
  $("save").disabled = true;
  try {
    const res = await api("POST", "/api/activities", body);
    if (!res.ok) {
      if (res.status !== 401) showError("form-error", res.data.error);
      return;
    }
    correcting = null;
    renderList(res.data.entries);
    show("list");
  } finally {
    $("save").disabled = false;
  }
}

// --- today's list ---

async function loadList() {
  const res = await api("GET", "/api/activities");
  if (res.ok) renderList(res.data.entries);
}

function renderList(entries) {
  hideError("list-error");
  $("list-empty").hidden = entries.length > 0;
  const ul = $("entries");
  ul.replaceChildren();
  for (const e of entries) {
    const li = document.createElement("li");
    li.className = "entry";
    li.dataset.seq = e.seq;
    const what = document.createElement("div");
    what.className = "what";
    const title = e.description || e.plan_title || e.plan;
    what.textContent = `${e.start}–${e.end}  ${title}`;
    const detail = document.createElement("div");
    detail.className = "detail";
    detail.textContent = `${e.quantity} ${e.unit}${e.plan ? ` · ${e.plan}` : ""}`;
    const fix = document.createElement("button");
    fix.type = "button";
    fix.className = "correct";
    fix.textContent = t("correct");
    fix.addEventListener("click", () => openForm(e));
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "withdraw";
    drop.textContent = t("withdraw");
    drop.addEventListener("click", () => withdraw(e, drop));
    li.append(what, detail, fix, drop);
    ul.append(li);
  }
}

async function withdraw(entry, button) {
  // A second press confirms: no dialog boxes on a kiosk.
  if (button.dataset.armed !== "1") {
    button.dataset.armed = "1";
    button.textContent = t("confirm_withdraw");
    return;
  }
  const res = await api("POST", "/api/activities", { supersedes: entry.seq, withdrawn: true });
  if (res.ok) renderList(res.data.entries);
  else if (res.status !== 401) showError("list-error", res.data.error);
}

// --- wiring ---

function wire() {
  $("lang-toggle").addEventListener("click", () => {
    lang = lang === "id" ? "en" : "id";
    applyLang();
  });
  $("go-form").addEventListener("click", () => openForm(null));
  $("go-list").addEventListener("click", () => {
    loadList();
    show("list");
  });
  $("list-add").addEventListener("click", () => openForm(null));
  $("cancel").addEventListener("click", () => {
    correcting = null;
    show("greeting");
  });
  $("save").addEventListener("click", save);
  const finish = () => {
    api("POST", "/api/session/end");
    endView();
  };
  $("done").addEventListener("click", finish);
  $("list-done").addEventListener("click", finish);
  for (const b of document.querySelectorAll(".step")) {
    b.addEventListener("click", () => {
      const input = $(b.dataset.target);
      const step = Number(b.dataset.step);
      if (input.id !== "quantity") input.value = addMinutes(input.value, step);
      else input.value = Math.min(Math.max((Number.parseInt(input.value, 10) || 0) + step, 1), 9999);
    });
  }
  for (const c of document.querySelectorAll(".chip")) {
    c.addEventListener("click", () => {
      $("unit").value = c.dataset.unit;
    });
  }
  for (const ev of ["pointerdown", "keydown"]) document.addEventListener(ev, touch, true);
  setInterval(renderClock, 1000);

  const events = new EventSource("/api/events");
  events.addEventListener("state", (m) => onState(JSON.parse(m.data)));
}

lang = "id";
applyLang();
show("idle");
wire();
