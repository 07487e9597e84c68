// SPDX-License-Identifier: MIT
// Shared by the dashboard's pages: texts in Bahasa Indonesia and English, the API
// helper (session cookie, X-CSRF-Token on every state-changing request) and the
// language switch. No third-party code: everything the pages run is in this folder.
"use strict";

const Hadir = (() => {
  const TEXTS = {
    id: {
      "login.lead": "Dasbor kehadiran dan disiplin pegawai",
      "login.user": "Nama pengguna",
      "login.password": "Kata sandi",
      "login.submit": "Masuk",
      "login.refused": "Nama pengguna atau kata sandi salah, atau akun sedang dikunci.",
      "login.failed": "Tidak dapat masuk; coba lagi.",
      "login.throttled": "Terlalu banyak percobaan masuk yang gagal dari alamat ini; coba lagi nanti.",
      "nav.logout": "Keluar",
      "overview.title": "Ringkasan per unit",
      "overview.chart": "Tingkat kepatuhan (tepat waktu) per unit",
      "overview.daily": "Tingkat tepat waktu harian (semua unit yang ditampilkan)",
      "overview.name": "Nama unit",
      "overview.late": "Terlambat (hari)",
      "overview.early": "Pulang cepat (hari)",
      "overview.threshold": "Pada/lewat ambang sanksi",
      "overview.kiosks": "Kios",
      "overview.kiosksStale": "Tak sinkron",
      "overview.alerts": "Peringatan",
      "overview.computed": "Angka dihitung {time}",
      "period.from": "Dari",
      "period.to": "Sampai",
      "period.show": "Tampilkan",
      "col.unit": "Unit",
      "col.staff": "Pegawai",
      "col.compliance": "Kepatuhan",
      "col.late": "Terlambat",
      "col.early": "Pulang cepat",
      "col.tk": "TK (hari)",
      "col.deduction": "Potongan (Rp)",
      "status.loading": "Memuat…",
      "status.empty": "Tidak ada pegawai dalam lingkup Anda untuk periode ini.",
      "status.forbidden": "Anda tidak berhak melihat data ini.",
      "status.unavailable": "Laporan belum tersedia di server ini.",
      "status.error": "Gagal memuat data.",
      "unit.back": "← Ringkasan",
      "unit.filter": "Cari nama atau NIP",
      "unit.csv": "Unduh CSV",
      "unit.xlsx": "Unduh XLSX",
      "unit.exportTitle": "Semua pegawai yang cocok dengan pencarian, dalam urutan dan kolom tabel — bukan hanya 50 baris di halaman ini",
      "unit.prev": "‹ Sebelumnya",
      "unit.next": "Berikutnya ›",
      "unit.page": "Halaman {page} dari {pages} · {rows} pegawai",
      "unit.missing": "Unit tidak disebutkan; pilih unit dari ringkasan.",
      "unit.notfound": "Unit tidak ditemukan.",
      "unit.nomatch": "Tidak ada pegawai yang cocok.",
      "col.nip": "NIP",
      "col.name": "Nama",
      "col.present": "Hadir (hari)",
      "col.lateMin": "Terlambat (menit)",
      "col.earlyMin": "Pulang cepat (menit)",
      "col.deductionPct": "Potongan (%)",
      "col.sanction": "Sanksi tahun berjalan",
      "sanction.ringan": "ringan",
      "sanction.sedang": "sedang",
      "sanction.berat": "berat",
      "employee.back": "← Kembali",
      "employee.title": "Pegawai",
      "employee.totals": "Jumlah periode",
      "employee.days": "Rincian harian",
      "employee.activities": "Kegiatan",
      "employee.missing": "Pegawai tidak disebutkan; pilih pegawai dari halaman unit.",
      "employee.notfound": "Pegawai tidak ditemukan.",
      "employee.unit": "Unit {unit} · zona {tz}",
      "employee.noActivities": "Tidak ada kegiatan pada periode ini.",
      "employee.activitiesForbidden": "Daftar kegiatan hanya untuk admin pusat dan atasan pegawai.",
      "col.date": "Tanggal",
      "col.schedule": "Jadwal",
      "col.taps": "Tap",
      "col.in": "Masuk",
      "col.out": "Pulang",
      "col.tier": "TL/PSW",
      "col.leave": "Cuti",
      "col.tkMark": "TK",
      "col.reasons": "Keterangan",
      "col.time": "Waktu",
      "col.plan": "RHK",
      "col.description": "Uraian",
      "col.output": "Hasil",
      "col.status": "Status",
      "col.note": "Catatan",
      "col.workingDays": "Hari kerja",
      "col.leaveDays": "Cuti (hari)",
      "weekday.1": "Senin", "weekday.2": "Selasa", "weekday.3": "Rabu", "weekday.4": "Kamis",
      "weekday.5": "Jumat", "weekday.6": "Sabtu", "weekday.7": "Minggu",
      "off.weekend": "akhir pekan",
      "off.holiday": "libur",
      "off.no_schedule": "tanpa jadwal",
      "off.untracked": "belum dipantau",
      "use.check_in": "masuk",
      "use.check_out": "pulang",
      "use.unused": "tidak dipakai",
      "use.outside_window": "di luar jendela",
      "use.other_day": "hari lain",
      "leave.partial": "{code} {from}–{until}",
      "activity.pending": "menunggu",
      "activity.approved": "disetujui",
      "activity.returned": "dikembalikan",
      "activity.refused": "ditolak",
      "activity.invalid": "tidak sah",
      "role.superadmin": "admin pusat",
      "role.unit_admin": "admin unit",
      "role.supervisor": "atasan",
      "role.staff": "pegawai",
      "devices.title": "Kios dan perangkat",
      "devices.name": "Kios",
      "devices.units": "Unit",
      "devices.lastSync": "Sinkron terakhir",
      "devices.outbox": "Antrean kirim",
      "devices.offset": "Selisih jam",
      "devices.alerts": "Peringatan",
      "devices.latestAlerts": "Peringatan manipulasi terbaru",
      "devices.noAlerts": "Tidak ada peringatan manipulasi.",
      "devices.none": "Tidak ada kios dalam lingkup Anda.",
      "devices.never": "belum pernah",
      "devices.stale": "tidak sinkron",
      "devices.disabled": "dinonaktifkan",
      "devices.seconds": "dtk",
      "devices.untrusted": "(jam tidak tepercaya)",
      "alert.gap": "data hilang",
      "alert.chain": "rantai putus",
      "alert.link": "data diubah",
      "alert.conflict": "kiriman bertentangan",
    },
    en: {
      "login.lead": "Staff attendance and discipline dashboard",
      "login.user": "User name",
      "login.password": "Password",
      "login.submit": "Log in",
      "login.refused": "Wrong user name or password, or the account is locked.",
      "login.failed": "Could not log in; try again.",
      "login.throttled": "Too many failed logins from this address; try again later.",
      "nav.logout": "Log out",
      "overview.title": "Overview by unit",
      "overview.chart": "Compliance rate (on time) by unit",
      "overview.daily": "Daily on-time rate (all units shown)",
      "overview.name": "Unit name",
      "overview.late": "Late (days)",
      "overview.early": "Left early (days)",
      "overview.threshold": "At or past a sanction threshold",
      "overview.kiosks": "Kiosks",
      "overview.kiosksStale": "Not synced",
      "overview.alerts": "Alerts",
      "overview.computed": "Figures computed {time}",
      "period.from": "From",
      "period.to": "To",
      "period.show": "Show",
      "col.unit": "Unit",
      "col.staff": "Staff",
      "col.compliance": "Compliance",
      "col.late": "Late",
      "col.early": "Left early",
      "col.tk": "Absent (days)",
      "col.deduction": "Deduction (Rp)",
      "status.loading": "Loading…",
      "status.empty": "No staff in your scope for this period.",
      "status.forbidden": "You may not see this data.",
      "status.unavailable": "Reports are not available on this server yet.",
      "status.error": "Could not load the data.",
      "unit.back": "← Overview",
      "unit.filter": "Search name or NIP",
      "unit.csv": "Download CSV",
      "unit.xlsx": "Download XLSX",
      "unit.exportTitle": "Every employee the search matches, in the table's order and columns — not only the 50 rows on this page",
      "unit.prev": "‹ Previous",
      "unit.next": "Next ›",
      "unit.page": "Page {page} of {pages} · {rows} staff",
      "unit.missing": "No unit given; pick a unit on the overview.",
      "unit.notfound": "No such unit.",
      "unit.nomatch": "No staff match.",
      "col.nip": "NIP",
      "col.name": "Name",
      "col.present": "Present (days)",
      "col.lateMin": "Late (minutes)",
      "col.earlyMin": "Left early (minutes)",
      "col.deductionPct": "Deduction (%)",
      "col.sanction": "Sanction, year to date",
      "sanction.ringan": "light",
      "sanction.sedang": "moderate",
      "sanction.berat": "severe",
      "employee.back": "← Back",
      "employee.title": "Employee",
      "employee.totals": "Period totals",
      "employee.days": "Day by day",
      "employee.activities": "Activities",
      "employee.missing": "No employee given; pick one on the unit page.",
      "employee.notfound": "No such employee.",
      "employee.unit": "Unit {unit} · zone {tz}",
      "employee.noActivities": "No activities in this period.",
      "employee.activitiesForbidden": "Activities are listed for central admins and the employee's supervisor only.",
      "col.date": "Date",
      "col.schedule": "Schedule",
      "col.taps": "Taps",
      "col.in": "In",
      "col.out": "Out",
      "col.tier": "TL/PSW",
      "col.leave": "Leave",
      "col.tkMark": "TK",
      "col.reasons": "Reasons",
      "col.time": "Time",
      "col.plan": "Plan item",
      "col.description": "Description",
      "col.output": "Output",
      "col.status": "Status",
      "col.note": "Note",
      "col.workingDays": "Working days",
      "col.leaveDays": "Leave (days)",
      "weekday.1": "Monday", "weekday.2": "Tuesday", "weekday.3": "Wednesday", "weekday.4": "Thursday",
      "weekday.5": "Friday", "weekday.6": "Saturday", "weekday.7": "Sunday",
      "off.weekend": "weekend",
      "off.holiday": "holiday",
      "off.no_schedule": "no schedule",
      "off.untracked": "not tracked yet",
      "use.check_in": "in",
      "use.check_out": "out",
      "use.unused": "unused",
      "use.outside_window": "outside the window",
      "use.other_day": "other day",
      "leave.partial": "{code} {from}–{until}",
      "activity.pending": "pending",
      "activity.approved": "approved",
      "activity.returned": "returned",
      "activity.refused": "refused",
      "activity.invalid": "invalid",
      "role.superadmin": "central admin",
      "role.unit_admin": "unit admin",
      "role.supervisor": "supervisor",
      "role.staff": "staff",
      "devices.title": "Kiosks and devices",
      "devices.name": "Kiosk",
      "devices.units": "Units",
      "devices.lastSync": "Last sync",
      "devices.outbox": "Outbox",
      "devices.offset": "Clock offset",
      "devices.alerts": "Alerts",
      "devices.latestAlerts": "Latest tamper alerts",
      "devices.noAlerts": "No tamper alerts.",
      "devices.none": "No kiosks in your scope.",
      "devices.never": "never",
      "devices.stale": "not syncing",
      "devices.disabled": "disabled",
      "devices.seconds": "s",
      "devices.untrusted": "(clock not trusted)",
      "alert.gap": "missing record",
      "alert.chain": "broken chain",
      "alert.link": "record altered",
      "alert.conflict": "conflicting resend",
    },
  };

  function lang() {
    const l = localStorage.getItem("hadir.lang");
    return l === "en" ? "en" : "id";
  }

  function t(key) {
    return TEXTS[lang()][key] || TEXTS.id[key] || key;
  }

  function applyTexts() {
    document.documentElement.lang = lang();
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const b of document.querySelectorAll("[data-lang]"))
      b.setAttribute("aria-pressed", String(b.dataset.lang === lang()));
  }

  function setLang(l) {
    localStorage.setItem("hadir.lang", l);
    applyTexts();
    document.dispatchEvent(new Event("hadir:lang"));
  }

  // One API call; resolves to {status, body} (body null when not JSON).
  async function api(method, path, body) {
    const headers = {};
    if (method !== "GET") headers["X-CSRF-Token"] = sessionStorage.getItem("hadir.csrf") || "";
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
    let json = null;
    try {
      json = await r.json();
    } catch (e) {
      json = null;
    }
    return { status: r.status, body: json };
  }

  // The caller, or a trip back to the login page.
  async function me() {
    const r = await api("GET", "/api/v1/me");
    if (r.status !== 200) {
      location.replace("/");
      return null;
    }
    if (r.body.csrf_token) sessionStorage.setItem("hadir.csrf", r.body.csrf_token);
    return r.body;
  }

  function isoDate(d) {
    return d.toISOString().slice(0, 10);
  }

  // The period of the page's address (?from=&to=), else this month up to today.
  function period() {
    const q = new URLSearchParams(location.search);
    const today = new Date();
    return {
      from: q.get("from") || isoDate(new Date(Date.UTC(today.getFullYear(), today.getMonth(), 1))),
      to: q.get("to") || isoDate(today),
    };
  }

  // A number in the page's language; formatters are kept, a table asks for hundreds.
  const formats = new Map();
  function num(n, digits) {
    const key = `${lang()}/${digits || 0}`;
    if (!formats.has(key)) {
      formats.set(key, new Intl.NumberFormat(lang() === "en" ? "en-US" : "id-ID", {
        minimumFractionDigits: digits || 0,
        maximumFractionDigits: digits || 0,
      }));
    }
    return formats.get(key).format(n);
  }

  // What every page behind the login does: the caller in the top bar, logout, the
  // period form (#from, #to) and show() on load, on submit and on a language switch.
  async function page(show) {
    const who = await me();
    if (!who) return;
    const name = who.user || who.actor;
    const describe = () => {
      document.getElementById("who").textContent = `${name} · ${t(`role.${who.role}`)}`;
    };
    describe();
    document.addEventListener("hadir:lang", () => {
      describe();
      show();
    });
    const p = period();
    document.getElementById("from").value = p.from;
    document.getElementById("to").value = p.to;
    document.getElementById("logout").addEventListener("click", logout);
    document.getElementById("period").addEventListener("submit", (ev) => {
      ev.preventDefault();
      show();
    });
    show();
  }

  async function logout() {
    await api("POST", "/api/v1/logout");
    sessionStorage.removeItem("hadir.csrf");
    location.replace("/");
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const b of document.querySelectorAll("[data-lang]"))
      b.addEventListener("click", () => setLang(b.dataset.lang));
    applyTexts();
  });

  return { t, api, me, logout, lang, num, page };
})();
