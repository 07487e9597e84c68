// SPDX-License-Identifier: MIT
// The collector's dashboard in Debian's headless Chromium, driven by playwright-core. Run by
// tests/integration/test_dashboard.sh, which starts a collector with users:
//   node dashboard.mjs URL OUT_DIR PASSWORD FOREIGN_NIP
// (users "root" superadmin, "adm-b" unit_admin of B, "locky" to be locked out; FOREIGN_NIP
// is a person of unit A). Prints "ok - ..." / "not ok - ..." lines; the shell numbers them.
import { chromium } from "playwright-core";

const [url, outDir, password, foreignNip] = process.argv.slice(2);
const WAIT = 8000;

function ok(cond, what, detail) {
  console.log(`${cond ? "ok" : "not ok"} - ${what}`);
  if (!cond && detail !== undefined) console.log(`#   ${String(detail).replace(/\n/g, "\n#   ")}`);
  return cond;
}

async function waitText(page, sel, want) {
  try {
    await page.waitForFunction(
      ([s, w]) => (document.querySelector(s)?.textContent || "").includes(w),
      [sel, want],
      { timeout: WAIT },
    );
    return true;
  } catch (e) {
    return false;
  }
}

async function login(page, user, pass) {
  await page.goto(url);
  await page.fill("#username", user);
  await page.fill("#password", pass);
  await page.click("#login-button");
}

async function loginError(page) {
  try {
    await page.locator("#login-error").waitFor({ state: "visible", timeout: WAIT });
    const text = await page.locator("#login-error").textContent();
    await page.waitForFunction(() => !document.getElementById("login-button").disabled, null, {
      timeout: WAIT,
    });
    return text;
  } catch (e) {
    return "";
  }
}

// The overview's unit rows once loaded, as "A,B"; "" when none came.
async function unitRows(page) {
  try {
    await page.locator("#result").waitFor({ state: "visible", timeout: WAIT });
  } catch (e) {
    return "";
  }
  return (await page.locator("#units tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.unit))).join(",");
}

async function sessionCookie(context) {
  return (await context.cookies()).find((c) => c.name === "hadir_session");
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    // The site's certificate comes from its own CA, which this browser does not know.
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    const external = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(url)) external.push(r.url());
    });

    await page.goto(url);
    ok(await waitText(page, "label[for=username]", "Nama pengguna"), "the login page speaks Bahasa Indonesia first");
    await page.screenshot({ path: `${outDir}/login.png` });
    await page.click("button[data-lang=en]");
    ok(await waitText(page, "label[for=username]", "User name"), "English is one click away");
    await page.click("button[data-lang=id]");

    // Lockout: five wrong passwords, then the right one is refused with the same words.
    let first = "";
    let alike = true;
    for (let i = 1; i <= 5; i++) {
      await login(page, "locky", `wrong password ${i}`);
      const text = await loginError(page);
      first = first || text;
      alike = alike && text !== "" && text === first;
    }
    ok(alike && first.includes("salah"), "five wrong passwords: refused each time", first);
    await login(page, "locky", password);
    const locked = await loginError(page);
    ok(locked === first, "the right password on the locked account: the same refusal", locked);
    await login(page, "nobody", password);
    ok((await loginError(page)) === first, "an unknown user: the same refusal");
    await page.screenshot({ path: `${outDir}/login-refused.png` });
    ok(!(await sessionCookie(context)), "no session cookie after refusals");

    // A superadmin: the overview.
    await login(page, "root", password);
    try {
      await page.waitForURL(/overview\.html$/, { timeout: WAIT });
      ok(true, "superadmin logs in and lands on the overview");
    } catch (e) {
      ok(false, "superadmin logs in and lands on the overview", page.url());
    }
    ok(await waitText(page, "#who", "root · admin pusat"), "the overview names the user and role");
    const cookie = await sessionCookie(context);
    ok(cookie && cookie.httpOnly && cookie.secure && cookie.sameSite === "Strict",
      "the session cookie is HttpOnly, Secure, SameSite=Strict", JSON.stringify(cookie));
    ok(await page.evaluate(() => document.cookie === ""), "page scripts cannot read the session cookie");
    ok(await unitRows(page) === "A,B", "the overview lists every unit for a superadmin");
    ok(await page.locator("#chart rect").count() === 2, "the chart has a bar per unit");
    await page.screenshot({ path: `${outDir}/overview.png`, fullPage: true });
    await page.reload();
    ok(await waitText(page, "#who", "root"), "a reload keeps the session");

    // A state-changing request without the CSRF token is refused, with it accepted.
    const noCsrf = await page.evaluate(async () =>
      (await fetch("/api/v1/logout", { method: "POST", credentials: "same-origin" })).status);
    ok(noCsrf === 403, "logout without X-CSRF-Token: 403", noCsrf);
    ok(await waitText(page, "#who", "root"), "still logged in after the refused request");

    await page.click("#logout");
    try {
      await page.waitForURL((u) => u.pathname === "/", { timeout: WAIT });
      ok(true, "logout returns to the login page");
    } catch (e) {
      ok(false, "logout returns to the login page", page.url());
    }
    const after = await page.request.get(`${url}api/v1/me`, {
      headers: { Cookie: `hadir_session=${cookie ? cookie.value : ""}` },
    });
    ok(after.status() === 401, "the old session cookie is dead after logout", after.status());
    await page.goto(`${url}web/overview.html`);
    try {
      await page.waitForURL((u) => u.pathname === "/", { timeout: WAIT });
      ok(true, "the overview sends a visitor without a session to the login page");
    } catch (e) {
      ok(false, "the overview sends a visitor without a session to the login page", page.url());
    }

    // A unit admin cannot reach another unit's people by URL or API.
    await login(page, "adm-b", password);
    await page.waitForURL(/overview\.html$/, { timeout: WAIT }).catch(() => {});
    ok(await waitText(page, "#who", "adm-b · admin unit"), "unit admin logs in");
    ok(await unitRows(page) === "B", "the unit admin's overview shows unit B only");
    await page.screenshot({ path: `${outDir}/overview-unit-admin.png`, fullPage: true });
    const foreign = await page.evaluate(async (nip) => {
      const r = await fetch(`/api/v1/taps?nip=${nip}`, { credentials: "same-origin" });
      return { status: r.status, body: await r.text() };
    }, foreignNip);
    ok(foreign.status === 403 && !foreign.body.includes(foreignNip) && !foreign.body.includes("taps"),
      "unit admin: another unit's NIP by API is 403 with no data", JSON.stringify(foreign));
    const direct = await page.goto(`${url}api/v1/taps?nip=${foreignNip}`);
    ok(direct.status() === 403, "unit admin: the same by URL is 403", direct.status());
    await page.screenshot({ path: `${outDir}/unit-admin-forbidden.png` });

    ok(external.length === 0, "nothing fetched from anywhere else", external.join(" "));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(`not ok - the browser run failed: ${e}`);
  process.exitCode = 1;
});
