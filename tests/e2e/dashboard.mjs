// SPDX-License-Identifier: MIT
// The collector's dashboard in Debian's headless Chromium, driven by playwright-core. Run by
// tests/integration/test_dashboard.sh, which starts a collector with users:
//   node dashboard.mjs URL OUT_DIR PASSWORD FOREIGN_NIP FROM TO SANCTIONED_NIP OWN_NIP
// (users "root" superadmin, "adm-b" unit_admin of B, "locky" to be locked out; FOREIGN_NIP
// is Ani of unit A; over FROM..TO unit A holds Ani, Cici (SANCTIONED_NIP, teguran lisan) and
// Pegawai 001..118, unit B Budi (OWN_NIP); Ani has three activities: returned with a comment,
// approved, pending). Prints "ok - ..." / "not ok - ..." lines; the shell numbers
// them. The unit page's downloads are saved as OUT_DIR/unit-A.csv and unit-A.xlsx.
import { execFileSync } from "node:child_process";
import { chromium } from "playwright-core";

const [url, outDir, password, foreignNip, from, to, sanctionedNip, ownNip] = process.argv.slice(2);
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

// The employee page's days as shown: [{date, cells: [...], taps: [...], reasons: [...], tk}].
async function dayRows(page) {
  return page.locator("#days tbody tr").evaluateAll((rows) => rows.map((r) => ({
    date: r.dataset.date,
    cells: [...r.children].map((c) => c.textContent),
    taps: [...r.children[2].querySelectorAll("li")].map((li) => `${li.textContent}|${li.dataset.use}`),
    reasons: [...r.children[11].querySelectorAll("li")].map((li) => li.textContent),
    tk: r.classList.contains("tk"),
  })));
}

// The employee page's period totals: {key: shown value}.
async function totals(page) {
  return Object.fromEntries(await page.locator("#totals > div").evaluateAll((items) =>
    items.map((d) => [d.dataset.key, d.querySelector("dd").textContent])));
}

// The employee page's activities: [{date, status, label, note, description}].
async function activityRows(page) {
  return page.locator("#activities tbody tr").evaluateAll((rows) => rows.map((r) => ({
    date: r.children[0].textContent,
    description: r.children[3].textContent,
    status: r.children[5].dataset.status,
    label: r.children[5].textContent,
    note: r.children[6].textContent,
  })));
}

// --- exports (helper "exports"): the files hold what the page shows ---

// The rows of a sheet of an XLSX file, read by openpyxl (a real reader, Debian's python3).
function xlsxRows(file, sheet) {
  return JSON.parse(execFileSync("/usr/bin/python3",
    [new URL("../helpers/xlsx_rows.py", import.meta.url).pathname, file, sheet], { encoding: "utf8" }));
}

// The rows of a CSV file (RFC 4180, as the server writes it), by Python's csv module.
function csvRows(file) {
  return JSON.parse(execFileSync("/usr/bin/python3", ["-c",
    "import csv,json,sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))", file],
  { encoding: "utf8" }));
}

// Every row of the unit page's table over all its pages (the page's texts), back to page 1.
async function allStaffRows(page) {
  const rows = [...await staffRows(page)];
  while (!await page.locator("#next").isDisabled()) {
    const before = await page.locator("#page").textContent();
    await page.click("#next");
    await page.waitForFunction((b) => document.getElementById("page").textContent !== b, before,
      { timeout: WAIT });
    rows.push(...await staffRows(page));
  }
  return rows;
}

// On unit A's page: the unit's name in the heading; a filter matching 99 people (two pages),
// sorted by name descending, exported as XLSX: the file holds the 99 rows, in the table's
// order, with its columns; then a slow reply to an older period does not overwrite a newer one.
async function unitExports(page) {
  ok(await waitText(page, "#unit-name", "Unit A"), "the unit page's heading names the unit: Unit A");
  await page.fill("#filter", "PEGAWAI 0");
  await sortBy(page, "name", "ascending");
  await sortBy(page, "name", "descending");
  ok(await waitText(page, "#page", "Halaman 1 dari 2 · 99 pegawai"), "filter 'PEGAWAI 0': 99 people, two pages");
  const title = await page.locator("#xlsx").getAttribute("title");
  ok(title && title.includes("bukan hanya 50 baris"), "the export button says it holds every filtered row", title);
  const shown = await allStaffRows(page);
  const name = await download(page, "#xlsx", "unit-A-filtered.xlsx");
  ok(name === `disiplin_${from}_${to}_A.xlsx`, "Unduh XLSX of the filtered view", name);
  let rows = [];
  try {
    rows = xlsxRows(`${outDir}/unit-A-filtered.xlsx`, "Pegawai");
  } catch (e) {
    ok(false, "the filtered XLSX opens in openpyxl", e);
  }
  const heads = await page.locator("#staff thead th").evaluateAll((th) => th.map((t) => t.textContent));
  ok(JSON.stringify(rows[0]) === JSON.stringify(heads), "the XLSX's header row is the table's",
    `${JSON.stringify(rows[0])} vs ${JSON.stringify(heads)}`);
  const data = rows.slice(1);
  ok(data.length === 99 && shown.length === 99, "the XLSX holds exactly the 99 filtered rows, not the 50 on screen",
    `${data.length} in the file, ${shown.length} in the table`);
  ok(data.map((r) => r[0]).join() === shown.map((r) => r.nip).join() && data[0]?.[1] === "Pegawai 099" &&
    data[98]?.[1] === "Pegawai 001", "... in the table's order (name, descending)",
  data.slice(0, 3).map((r) => r[1]).join());
  const same = data.every((r, i) => r[1] === shown[i].name && String(r[2]) === shown[i].cells[2] &&
    String(r[5]) === shown[i].cells[5] && typeof r[4] === "number" && (r[8] || "–") === shown[i].cells[8]);
  ok(same, "... each row with the table's values, numbers as numbers", JSON.stringify(data[0]));
  await page.screenshot({ path: `${outDir}/unit-export-filtered.png`, fullPage: true });

  // The period changed twice in a row; the first reply is held back until after the second.
  await page.fill("#filter", "cici");
  const early = "2025-10-07";
  let held = 0;
  await page.route((u) => u.pathname === "/api/v1/reports/discipline" && u.searchParams.get("to") === early,
    async (route) => {
      held += 1;
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
  await page.fill("#to", early);
  await page.click("#period button[type=submit]");
  await page.fill("#to", to);
  const [newer] = await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/v1/reports/discipline?") && r.url().includes(`to=${to}`),
      { timeout: WAIT }),
    page.click("#period button[type=submit]"),
  ]);
  await newer.finished();
  await page.waitForTimeout(2500); // past the held reply
  await page.unroute(() => true);
  const cici = (await staffRows(page)).find((r) => r.nip === sanctionedNip);
  ok(held === 1 && cici?.cells[5] === "3" && new URL(page.url()).searchParams.get("to") === to,
    "a slow reply for an older period does not overwrite the newer one", `${held} ${JSON.stringify(cici)}`);
  await page.fill("#filter", "");
  await sortBy(page, "name", "ascending");
}

// On Ani's page: the days as CSV hold the table's rows and texts; her activities as CSV too.
async function employeeExports(page) {
  const shown = await dayRows(page);
  const name = await download(page, "#days-csv", "employee-ani-days.csv");
  ok(name === `harian_${from}_${to}_${foreignNip}.csv`, "Unduh CSV of the days", name);
  const rows = csvRows(`${outDir}/employee-ani-days.csv`);
  const heads = await page.locator("#days thead th").evaluateAll((th) => th.map((t) => t.textContent));
  ok(JSON.stringify(rows[0]) === JSON.stringify(heads), "the days CSV's header is the table's", JSON.stringify(rows[0]));
  const dash = (v) => v || "–";
  const same = rows.length === 1 + shown.length && shown.every((d, i) => {
    const r = rows[i + 1];
    return r[0] === d.cells[0] && r[1] === d.cells[1] && r[3] === d.cells[3] && r[4] === d.cells[4] &&
      r[5] === d.cells[5] && dash(r[7]) === d.cells[7] && dash(r[9]) === d.cells[9] &&
      r[2].split("\n").join() === d.taps.map((t) => t.split("|")[0]).join() &&
      r[11].split("\n").join() === d.reasons.join();
  });
  ok(same, "the days CSV: one row per day with the table's texts", JSON.stringify(rows.slice(0, 2)));
  const acts = await download(page, "#act-csv", "employee-ani-activities.csv");
  const list = csvRows(`${outDir}/employee-ani-activities.csv`);
  ok(acts === `kegiatan_${from}_${to}_${foreignNip}.csv` &&
    list.slice(1).map((r) => `${r[0]} ${r[5]} ${r[6]}`).join(", ") ===
    "2025-10-06 dikembalikan Lampirkan notulen rapat, 2025-10-07 disetujui , 2025-10-08 menunggu ",
  "Unduh CSV of the activities: the three with their review status", JSON.stringify(list));
}

// From the unit page (unit A, the fixture's period): Cici's and Ani's pages and back.
async function employeePage(page) {
  await page.fill("#filter", "cici");
  await waitText(page, "#page", "· 1 pegawai");
  await page.click(`#staff tr[data-nip="${sanctionedNip}"] a`);
  try {
    await page.waitForURL(/employee\.html\?/, { timeout: WAIT });
    const q = new URL(page.url()).searchParams;
    ok(q.get("nip") === sanctionedNip && q.get("from") === from && q.get("to") === to,
      "a name on the unit page opens the employee's page for the same period", page.url());
  } catch (e) {
    ok(false, "a name on the unit page opens the employee's page for the same period", page.url());
  }
  ok(await waitText(page, "#emp-name", "Cici") && await waitText(page, "#emp-nip", sanctionedNip),
    "the employee page names Cici and her NIP");
  await page.locator("#result").waitFor({ state: "visible", timeout: WAIT }).catch(() => {});
  let days = await dayRows(page);
  ok(days.map((d) => d.date).join(",") === "2025-10-06,2025-10-07,2025-10-08",
    "Cici: one row per day of the period", days.map((d) => d.date).join(","));
  ok(days[0]?.cells[0] === "Senin, 2025-10-06" && days[0]?.cells[1] === "07:30–16:00",
    "the day's date, weekday and schedule", JSON.stringify(days[0]?.cells));
  ok(days.length === 3 && days.every((d) => d.tk && d.cells[9] === "TK" && d.cells[10] === "3,00%" &&
    d.taps.length === 0 && d.cells[3] === "–" && d.reasons.length === 1 &&
    d.reasons[0] === "TK: working day without an accepted tap or a valid absence (3.00%)"),
  "Cici: three TK days, 3% each, no taps, with the server's TK reason", JSON.stringify(days));
  let tot = await totals(page);
  ok(tot.tk_days === "3" && tot.present_days === "0" && tot.deduction_pct === "9,00%" &&
    tot.sanction === "Teguran lisan (ringan)", "Cici's totals: 3 TK days, 9%, teguran lisan", JSON.stringify(tot));
  ok(await waitText(page, "#act-status", "Tidak ada kegiatan pada periode ini."),
    "Cici has no activities: the page says so");
  await page.screenshot({ path: `${outDir}/employee-cici.png`, fullPage: true });

  await page.click("#back");
  try {
    await page.waitForURL(/unit\.html\?/, { timeout: WAIT });
  } catch (e) { /* checked below */ }
  const back = new URL(page.url()).searchParams;
  ok(back.get("unit") === "A" && back.get("from") === from && back.get("to") === to &&
    await waitText(page, "#page", "120 pegawai"), "the employee page links back to the unit page, same period",
  page.url());
  await page.click(`#staff tr[data-nip="${foreignNip}"] a`);
  ok(await waitText(page, "#emp-name", "Ani"), "Ani's page from the unit page");
  await page.locator("#result").waitFor({ state: "visible", timeout: WAIT }).catch(() => {});
  days = await dayRows(page);
  ok(days.length === 3 && days.every((d) => !d.tk && d.cells[3] === "07:00:00" && d.cells[4] === "16:00:00" &&
    d.cells[5] === "0" && d.cells[6] === "0" && d.cells[7] === "–" && d.cells[9] === "–" &&
    d.cells[10] === "0,00%" && d.taps.join(" ") === "07:00:00 masuk|check_in 16:00:00 pulang|check_out"),
  "Ani: in at 07:00, out at 16:00 every day, both taps used, no tier, no TK", JSON.stringify(days));
  ok(days[0]?.reasons.join(" / ") === "check-in 07:00:00 on time for 07:30 / check-out 16:00:00 at or after 16:00",
    "Ani: the server's reasons, on time", JSON.stringify(days[0]?.reasons));
  tot = await totals(page);
  ok(tot.present_days === "3" && tot.tk_days === "0" && tot.deduction_pct === "0,00%" && tot.sanction === "–",
    "Ani's totals: present 3 days, nothing deducted", JSON.stringify(tot));
  await page.waitForSelector("#activities tbody tr", { timeout: WAIT }).catch(() => {});
  const acts = await activityRows(page);
  ok(acts.map((a) => `${a.date} ${a.status} ${a.label}`).join(", ") ===
    "2025-10-06 returned dikembalikan, 2025-10-07 approved disetujui, 2025-10-08 pending menunggu",
  "Ani's activities with their review status", JSON.stringify(acts));
  ok(acts[0]?.note === "Lampirkan notulen rapat" && acts[0]?.description === "Menyusun laporan bulanan",
    "the returned activity shows the reviewer's comment", JSON.stringify(acts[0]));
  await employeeExports(page);
  await page.screenshot({ path: `${outDir}/employee-ani.png`, fullPage: true });
  await page.click("button[data-lang=en]");
  ok(await waitText(page, "#days thead", "Reasons") && await waitText(page, "#activities tbody", "returned") &&
    await waitText(page, "#days tbody", "Monday, 2025-10-06"), "the employee page in English");
  await page.click("button[data-lang=id]");
  ok(await waitText(page, "#activities tbody", "dikembalikan"), "and back in Bahasa Indonesia");
  await page.click("#back");
  await page.waitForURL(/unit\.html\?/, { timeout: WAIT }).catch(() => {});
  await waitText(page, "#page", "120 pegawai");
}

// The overview of the fixture's period: both charts drawn, the table's downloads.
async function overviewPeriod(page) {
  await page.fill("#from", from);
  await page.fill("#to", to);
  await page.click("#period button[type=submit]");
  try {
    await page.waitForSelector(`#daily circle[data-date="${to}"]`, { timeout: WAIT });
  } catch (e) {
    // the check below says what is missing
  }
  const dots = await page.locator("#daily circle").evaluateAll((cs) => cs.map((c) => c.dataset.date));
  ok(dots.join(",") === `${from},2025-10-07,${to}`, "the daily chart has a point per working day", dots);
  ok(await page.locator("#daily path.line").count() === 1, "... joined by one line");
  ok(await page.locator("#chart rect.bar").count() === 2, "the bar chart still has a bar per unit");
  ok((await page.locator("#units thead th").count()) === (await page.locator("#units tbody tr").first()
    .locator("th, td").count()), "the table's header and rows have the same columns");
  const csv = await download(page, "#overview-csv", "overview.csv");
  ok(csv === `ringkasan_unit_${from}_${to}.csv`, "the overview's CSV download", csv);
  const xlsx = await download(page, "#overview-xlsx", "overview.xlsx");
  ok(xlsx === `ringkasan_unit_${from}_${to}.xlsx`, "the overview's XLSX download", xlsx);
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
  await unitExports(page);

  await employeePage(page);

  await page.click("#back");
  ok(await waitText(page, "#units", "A") && new URL(page.url()).searchParams.get("from") === from,
    "back to the overview, same period", page.url());
}

// The overview's kiosk section: test_dashboard.sh enrols "pintu-a" for unit A, which reported
// an outbox of 7. Listed with its health for a superadmin (isListed), absent for unit B's admin.
async function devicesSection(page, isListed) {
  const row = page.locator('#device-table tr[data-device="pintu-a"]');
  try {
    await page.locator("#devices").waitFor({ state: "visible", timeout: WAIT });
    if (isListed) await row.waitFor({ timeout: WAIT });
  } catch (e) {
    return ok(false, `the overview's kiosk section ${isListed ? "lists" : "hides"} unit A's kiosk`, e);
  }
  const cells = isListed ? await row.locator("th, td").allTextContents() : [];
  return ok(isListed ? cells[1] === "A" && cells[3] === "7" && cells[5] === "0" : await row.count() === 0,
    `the overview's kiosk section ${isListed ? "lists" : "hides"} unit A's kiosk`, JSON.stringify(cells));
}

// On a phone (390 px wide, touch): the pages fit the screen's width (wide tables scroll inside
// their own box), and both charts are drawn within it.
async function phoneLayout(browser) {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  try {
    await login(page, "root", password);
    await page.waitForURL(/overview\.html$/, { timeout: WAIT });
    ok(await waitText(page, "#units tbody", "A"), "phone: the overview shows its units");
    ok(await fits(), "phone: the overview fits the screen's width",
      await page.evaluate(() => document.documentElement.scrollWidth));
    const chartsFit = await page.evaluate(() => [...document.querySelectorAll("svg")]
      .every((svg) => svg.getBoundingClientRect().right <= window.innerWidth + 1));
    ok(chartsFit, "phone: the charts are drawn within the screen");
    await page.screenshot({ path: `${outDir}/overview-phone.png`, fullPage: true });
    await page.goto(`${url}web/unit.html?${new URLSearchParams({ unit: "A", from, to })}`);
    ok(await waitText(page, "#staff tbody", foreignNip), "phone: the unit page lists its staff");
    ok(await fits(), "phone: the unit page fits the screen's width",
      await page.evaluate(() => document.documentElement.scrollWidth));
    await page.screenshot({ path: `${outDir}/unit-phone.png`, fullPage: true });
    await page.goto(`${url}web/employee.html?${new URLSearchParams({ nip: foreignNip, from, to })}`);
    ok(await waitText(page, "#days tbody", "2025"), "phone: the employee page shows the days");
    ok(await fits(), "phone: the employee page fits the screen's width",
      await page.evaluate(() => document.documentElement.scrollWidth));
    await page.screenshot({ path: `${outDir}/employee-phone.png`, fullPage: true });
  } finally {
    await context.close();
  }
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
    const kioskCells = await page.locator('#units tr[data-unit="A"] td').allTextContents();
    ok(kioskCells.length === 11 && kioskCells[8] === "1",
      "the overview counts unit A's kiosk in its row (kiosks, not synced, alerts)", kioskCells.join("|"));
    await devicesSection(page, true);
    await overviewPeriod(page);
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
    await devicesSection(page, false);
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

    // ... nor by an employee's page: the days route says 403, no data, no activities asked.
    const asked = [];
    const onRequest = (r) => {
      if (r.url().includes("/api/v1/activities")) asked.push(r.url());
    };
    page.on("request", onRequest);
    const [days] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/days?"), { timeout: WAIT }),
      page.goto(`${url}web/employee.html?nip=${sanctionedNip}&from=${from}&to=${to}`),
    ]);
    ok(days.status() === 403, "unit admin on Cici's page: the days route answers 403", days.status());
    ok(await waitText(page, "#status", "Anda tidak berhak melihat data ini."), "the employee page says access is refused");
    const shown = await page.evaluate(() => document.body.innerText);
    ok(await page.locator("#result").isHidden() && !shown.includes("Cici") && !shown.includes(sanctionedNip) &&
      !shown.includes("Teguran") && await page.locator("#days tbody tr").count() === 0 && asked.length === 0,
    "nothing of Cici on the page, her activities not even asked for", `${shown} ${asked}`);
    await page.screenshot({ path: `${outDir}/employee-unit-admin-forbidden.png`, fullPage: true });
    page.off("request", onRequest);
    await page.goto(`${url}web/employee.html?nip=${ownNip}&from=${from}&to=${to}`);
    ok(await waitText(page, "#emp-name", "Budi") && await waitText(page, "#act-status",
      "Daftar kegiatan hanya untuk admin pusat dan atasan pegawai."),
    "the unit admin's own employee: the days, and a note where activities would be");
    ok(await page.locator("#result").isVisible() && await page.locator("#days tbody tr").count() === 3,
      "... with the period's three days", await page.locator("#days tbody tr").count());
    await page.screenshot({ path: `${outDir}/employee-unit-admin-own.png`, fullPage: true });

    ok(external.length === 0, "nothing fetched from anywhere else", external.join(" "));
    await phoneLayout(browser);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(`not ok - the browser run failed: ${e}`);
  process.exitCode = 1;
});
