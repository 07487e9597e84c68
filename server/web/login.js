// SPDX-License-Identifier: MIT
// The login page: POST /api/v1/login, keep the CSRF token for this tab, go to the overview.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  const button = document.getElementById("login-button");

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    button.disabled = true;
    try {
      const r = await Hadir.api("POST", "/api/v1/login", {
        username: document.getElementById("username").value.trim(),
        password: document.getElementById("password").value,
      });
      if (r.status === 200 && r.body && r.body.csrf_token) {
        sessionStorage.setItem("hadir.csrf", r.body.csrf_token);
        location.assign("/web/overview.html");
        return;
      }
      error.textContent = Hadir.t(r.status === 401 || r.status === 400 ? "login.refused"
        : r.status === 429 ? "login.throttled" : "login.failed");
    } catch (e) {
      error.textContent = Hadir.t("login.failed");
    }
    error.hidden = false;
    button.disabled = false;
    document.getElementById("password").select();
  });
});
