// SPDX-License-Identifier: MIT
// The collector's dashboard in Debian's headless Chromium, driven by playwright-core. Run by
// tests/integration/test_dashboard.sh, which starts a collector with users:
//   node dashboard.mjs URL OUT_DIR PASSWORD FOREIGN_NIP FROM TO SANCTIONED_NIP
// (users "root" superadmin, "adm-b" unit_admin of B, "locky" to be locked out; FOREIGN_NIP
// is Ani of unit A; over FROM..TO unit A holds Ani, Cici (SANCTIONED_NIP, teguran lisan) and
// Pegawai 001..118, unit B Budi). Prints "ok - ..." / "not ok - ..." lines; the shell numbers
// them. The unit page's downloads are saved as OUT_DIR/unit-A.csv and unit-A.xlsx.
import { chromium } from "playwright-core";

const [url, outDir, password, foreignNip, from, to, sanctionedNip] = process.argv.slice(2);
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

// The unit page's table as shown: [{nip, name, cells: [...], sanctioned}].
async function staffRows(page) {
  return page.locator("#staff tbody tr").evaluateAll((rows) => rows.map((r) => ({
    nip: r.dataset.nip,
    name: r.children[1]?.textContent,
    cells: [...r.children].map((c) => c.textContent),
    sanctioned: r.classList.contains("sanctioned"),
  })));
}

// Clicks a column header of the unit page; waits for the table to be sorted by it.
async function sortBy(page, key, dir) {
  await page.click(`#staff th[data-key=${key}] button`);
  await page.waitForSelector(`#staff th[data-key=${key}][aria-sort=${dir}]`, { timeout: WAIT });
}

// Clicks a download link; saves the file as OUT_DIR/NAME; the browser's file name.
async function download(page, sel, name) {
  const [d] = await Promise.all([page.waitForEvent("download", { timeout: WAIT }), page.click(sel)]);
  await d.saveAs(`${outDir}/${name}`);
  return d.suggestedFilename();
}

async function unitPage(page) {
  // Drill down: the overview for the fixture's period, then unit A's link.
  await page.fill("#from", from);
  await page.fill("#to", to);
  await page.click("#period button[type=submit]");
  const link = `#units tr[data-unit=A] a[href*="from=${from}"]`;
  try {
    await page.waitForSelector(link, { timeout: WAIT });
    await page.click(link);
    await page.waitForURL(/unit\.html\?/, { timeout: WAIT });
    ok(true, "a unit on the overview links to its unit page");
  } catch (e) {
    ok(false, "a unit on the overview links to its unit page", `${page.url()} ${e}`);
  }
  ok(await waitText(page, "#page", "Halaman 1 dari 3 · 120 pegawai"), "the unit page: 120 people, 50 a page",
    await page.locator("#page").textContent());
  ok(await waitText(page, "#unit-id", "A"), "the unit page names the unit");
  let rows = await staffRows(page);
  ok(rows.length === 50, "the first page shows 50 rows", rows.length);
  ok(rows[0]?.name === "Ani" && rows[1]?.name === "Cici" && rows[2]?.name === "Pegawai 001",
    "rows by name: Ani, Cici, Pegawai 001, ...", rows.slice(0, 3).map((r) => r.name).join(","));
  const ani = rows.find((r) => r.nip === foreignNip);
  ok(ani && ani.cells[2] === "3" && ani.cells[5] === "0" && ani.cells[8] === "–" && !ani.sanctioned,
    "Ani: present 3 days, no TK, no sanction", JSON.stringify(ani));
  const cici = rows.find((r) => r.nip === sanctionedNip);
  ok(cici && cici.sanctioned && cici.cells[5] === "3" && cici.cells[8] === "Teguran lisan (ringan)",
    "Cici: 3 TK days, highlighted with the recommended sanction", JSON.stringify(cici));
  ok(rows.filter((r) => r.sanctioned).length === 1, "no one else highlighted");
  const sanctionBg = await page.locator(`#staff tr[data-nip="${sanctionedNip}"]`)
    .evaluate((r) => getComputedStyle(r).backgroundColor);
  ok(sanctionBg !== "rgba(0, 0, 0, 0)", "the sanctioned row has its own background", sanctionBg);
  await page.screenshot({ path: `${outDir}/unit.png`, fullPage: true });

  await sortBy(page, "tk", "ascending");
  await sortBy(page, "tk", "descending");
  rows = await staffRows(page);
  ok(rows[0]?.name === "Cici" && rows[1]?.cells[5] === "2", "sorted by TK days, most first: Cici, then 2s",
    rows.slice(0, 2).map((r) => r.cells.join("|")).join(" / "));
  await sortBy(page, "name", "ascending");
  await sortBy(page, "name", "descending");
  rows = await staffRows(page);
  ok(rows[0]?.name === "Pegawai 118", "sorted by name, descending: Pegawai 118 first", rows[0]?.name);
  await page.click("#next");
  ok(await waitText(page, "#page", "Halaman 2 dari 3"), "the next page");
  rows = await staffRows(page);
  ok(rows[0]?.name === "Pegawai 068" && rows.length === 50, "page 2 starts at the 51st row: Pegawai 068",
    rows[0]?.name);
  await page.click("#next");
  ok(await waitText(page, "#page", "Halaman 3 dari 3"), "the last page");
  rows = await staffRows(page);
  ok(rows.length === 20 && rows[19]?.name === "Ani" && await page.locator("#next").isDisabled(),
    "the last page: 20 rows, Ani last, no next page", rows.map((r) => r.name).slice(-2).join(","));

  await page.fill("#filter", "cici");
  ok(await waitText(page, "#page", "Halaman 1 dari 1 · 1 pegawai"), "filter by name: one match");
  rows = await staffRows(page);
  ok(rows.length === 1 && rows[0].nip === sanctionedNip, "... Cici", JSON.stringify(rows));
  await page.screenshot({ path: `${outDir}/unit-filtered.png`, fullPage: true });
  await page.fill("#filter", "197001012000000042");
  ok(await waitText(page, "#page", "· 1 pegawai"), "filter by NIP: one match");
  ok((await staffRows(page))[0]?.name === "Pegawai 042", "... Pegawai 042");
  await page.fill("#filter", "pegawai 04");
  ok(await waitText(page, "#page", "· 10 pegawai"), "filter 'pegawai 04': Pegawai 040..049");
  await page.fill("#filter", "");
  ok(await waitText(page, "#page", "Halaman 1 dari 3 · 120 pegawai"), "an empty filter shows everyone again");

  await page.click("button[data-lang=en]");
  ok(await waitText(page, "#page", "Page 1 of 3 · 120 staff") &&
    await waitText(page, "#staff th[data-key=name]", "Name"), "the unit page in English");
  await page.click("button[data-lang=id]");
  ok(await waitText(page, "#staff th[data-key=name]", "Nama"), "and back in Bahasa Indonesia");

  const csv = await download(page, "#csv", "unit-A.csv");
  ok(csv === `disiplin_${from}_${to}_A.csv`, "Unduh CSV: the unit's report for the period", csv);
  const xlsx = await download(page, "#xlsx", "unit-A.xlsx");
  ok(xlsx === `disiplin_${from}_${to}_A.xlsx`, "Unduh XLSX: the same as a workbook", xlsx);

  await page.click("#back");
  ok(await waitText(page, "#units", "A") && new URL(page.url()).searchParams.get("from") === from,
    "back to the overview, same period", page.url());
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
      acceptDownloads: true,
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
    await unitPage(page);
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

    // ... nor by the unit page's address: the report route says 403, the page shows no one.
    const [reply] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/api/v1/reports/discipline?"), { timeout: WAIT }),
      page.goto(`${url}web/unit.html?unit=A&from=${from}&to=${to}`),
    ]);
    ok(reply.status() === 403, "unit admin on unit A's page: the report route answers 403", reply.status());
    ok(await waitText(page, "#status", "Anda tidak berhak melihat data ini."), "the page says access is refused");
    const seen = await page.evaluate(() => document.body.innerText);
    ok(await page.locator("#result").isHidden() && !seen.includes("Ani") && !seen.includes("Cici") &&
      !seen.includes(foreignNip) && await page.locator("#staff tbody tr").count() === 0,
      "no one of unit A on the page", seen);
    await page.screenshot({ path: `${outDir}/unit-admin-other-unit.png`, fullPage: true });
    await page.goto(`${url}web/unit.html?unit=B&from=${from}&to=${to}`);
    ok(await waitText(page, "#page", "· 1 pegawai") &&
      (await staffRows(page)).map((r) => r.name).join(",") === "Budi", "the unit admin's own unit: Budi");

    ok(external.length === 0, "nothing fetched from anywhere else", external.join(" "));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(`not ok - the browser run failed: ${e}`);
  process.exitCode = 1;
});
