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
      "nav.logout": "Keluar",
      "overview.title": "Ringkasan per unit",
      "overview.chart": "Tingkat kepatuhan (tepat waktu) per unit",
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
      "role.superadmin": "admin pusat",
      "role.unit_admin": "admin unit",
      "role.supervisor": "atasan",
      "role.staff": "pegawai",
    },
    en: {
      "login.lead": "Staff attendance and discipline dashboard",
      "login.user": "User name",
      "login.password": "Password",
      "login.submit": "Log in",
      "login.refused": "Wrong user name or password, or the account is locked.",
      "login.failed": "Could not log in; try again.",
      "nav.logout": "Log out",
      "overview.title": "Overview by unit",
      "overview.chart": "Compliance rate (on time) by unit",
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
      "role.superadmin": "central admin",
      "role.unit_admin": "unit admin",
      "role.supervisor": "supervisor",
      "role.staff": "staff",
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

  return { t, api, me, logout, lang };
})();
