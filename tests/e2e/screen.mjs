// SPDX-License-Identifier: MIT
// The kiosk screen in Debian's headless Chromium, driven by playwright-core. Run by the
// shell tests, which start the kiosk:
//   node screen.mjs URL SIM_SOCKET OUT_DIR [tour|entry]
// tour (tests/integration/test_kiosk_screen.sh, a kiosk on its own): the whole screen.
// entry (tests/integration/test_activity_e2e.sh, a kiosk with the collector's roster, where
// the unit's schedule makes the tap on time): idle, tap, greeting, one plan entry typed in
// and listed, then stops.
// Both expect Ani Lestari (card 42) with plan RHK-1 "Menyusun laporan bulanan" at "Dinas
// Uji Coba". Taps go in through the kiosk's sim socket; checks read the DOM. Prints
// TAP-style "ok - ..." / "not ok - ..." lines (the shell numbers them), "# entry SEQ" for
// the first entry and "# seq OLD NEW" for the correction, so the shell can check the
// kiosk's outbox.
import net from "node:net";
import { chromium } from "playwright-core";

const [url, simSocket, outDir, mode = "tour"] = process.argv.slice(2);
const WAIT = 8000;

function ok(cond, what, detail) {
  console.log(`${cond ? "ok" : "not ok"} - ${what}`);
  if (!cond && detail !== undefined) console.log(`#   ${String(detail).replace(/\n/g, "\n#   ")}`);
  return cond;
}

// One command on the sim socket; resolves with the kiosk's reply line.
function sim(line) {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(simSocket);
    let buf = "";
    s.on("data", (d) => {
      buf += d;
      if (buf.includes("\n")) {
        s.end();
        resolve(buf.trim());
      }
    });
    s.on("error", reject);
    s.write(`${line}\n`);
  });
}

async function visible(page, sel, timeout = WAIT) {
  try {
    await page.locator(sel).waitFor({ state: "visible", timeout });
    return true;
  } catch (e) {
    return false;
  }
}

async function textOf(page, sel) {
  return (await page.locator(sel).textContent({ timeout: WAIT }).catch(() => "")) || "";
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

async function entries(page) {
  return page.$$eval("#entries .entry", (lis) =>
    lis.map((li) => ({ seq: Number(li.dataset.seq), text: li.textContent })));
}

// The token the page holds, tried against the API after its session ended.
async function statusWith(page, token) {
  return page.evaluate(async (tok) => {
    const r = await fetch("/api/activities", { headers: { Authorization: `Bearer ${tok}` } });
    return r.status;
  }, token);
}

async function sessionToken(page) {
  return page.evaluate(async () => (await (await fetch("/api/state")).json()).session?.token);
}

// Typing as on the touchscreen keyboard: the old value cleared, then key by key.
async function typeInto(page, sel, text) {
  await page.fill(sel, "");
  await page.locator(sel).pressSequentially(text);
}

async function fillForm(page, { plan, description, start, end }) {
  await page.click(`#plan-list button[data-code="${plan}"]`);
  await page.fill("#description", description);
  await page.fill("#start", start);
  await page.fill("#end", end);
}

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1024, height: 600 } });
    await page.goto(url);
    ok(await visible(page, "#idle"), "idle screen shows");
    ok(await waitText(page, "#idle-office", "Dinas Uji Coba"), "idle screen names the office");
    ok(await waitText(page, ".hint", "Tempelkan kartu"), "idle screen speaks Bahasa Indonesia first");
    await page.screenshot({ path: `${outDir}/idle.png` });

    // A tap through the sim socket greets the person at once; with the unit's schedule
    // (entry mode) the status says whether they are on time.
    ok((await sim("card 42")).startsWith("accepted"), "card 42 accepted by the kiosk");
    ok(await waitText(page, "#greet-name", "Ani Lestari"), "greeting shows the name",
      await textOf(page, "#greet-name"));
    const status = mode === "entry" ? "Tepat waktu · " : "Tercatat pukul";
    ok(await waitText(page, "#greet-status", status), `greeting shows "${status.trim()}" and the time`,
      await textOf(page, "#greet-status"));
    ok(await waitText(page, "#last-taps", "Ani Lestari"), "last taps list the tap");
    await page.screenshot({ path: `${outDir}/greeting.png` });

    // An entry from the plan picker: the tour uses the quantity stepper and a unit chip,
    // the entry mode types them.
    await page.click("#go-form");
    ok(await visible(page, "#form"), "form opens");
    ok(await waitText(page, "#plan-list", "RHK-1 · Menyusun laporan bulanan"), "plan picker lists the person's plans");
    await page.click('#plan-list button[data-code="RHK-1"]');
    ok((await page.getAttribute('#plan-list button[data-code="RHK-1"]', "class")).includes("chosen"),
      "the picked plan item is marked");
    if (mode === "entry") {
      await typeInto(page, "#quantity", "3");
      await typeInto(page, "#unit", "dokumen");
    } else {
      await page.click('.step[data-target="quantity"][data-step="1"]');
      await page.click('.step[data-target="quantity"][data-step="1"]');
      await page.click('.chip[data-unit="dokumen"]');
    }
    await typeInto(page, "#start", "08:00");
    await typeInto(page, "#end", "09:30");
    ok((await page.inputValue("#quantity")) === "3" && (await page.inputValue("#unit")) === "dokumen",
      "the form holds 3 dokumen");
    await page.screenshot({ path: `${outDir}/form.png` });
    await page.click("#save");
    ok(await visible(page, "#list"), "saving shows today's list");
    let list = await entries(page);
    ok(list.length === 1 && list[0].text.includes("Menyusun laporan bulanan") &&
      list[0].text.includes("3 dokumen · RHK-1") && list[0].text.includes("08:00–09:30"),
    "plan entry listed with its title, 3 dokumen, RHK-1, 08:00–09:30", JSON.stringify(list));
    if (list.length) console.log(`# entry ${list[0].seq}`);
    if (mode === "entry") return;

    // Free text.
    await page.click("#list-add");
    await fillForm(page, { plan: "", description: "Rapat koordinasi anggaran", start: "10:00", end: "11:00" });
    await page.click("#save");
    await visible(page, "#list");
    list = await entries(page);
    ok(list.length === 2 && list[1].text.includes("Rapat koordinasi anggaran"), "free-text entry listed",
      JSON.stringify(list));

    // Validation errors in the form, in the chosen language; nothing stored.
    await page.click("#list-add");
    await fillForm(page, { plan: "", description: "   ", start: "10:00", end: "11:00" });
    await page.click("#save");
    ok(await waitText(page, "#form-error", "Uraian kegiatan wajib diisi"), "empty description refused in the form",
      await textOf(page, "#form-error"));
    await fillForm(page, { plan: "", description: "Menulis nota dinas", start: "12:00", end: "11:00" });
    await page.click("#save");
    ok(await waitText(page, "#form-error", "Jam mulai harus sebelum jam selesai"), "start after end refused in the form",
      await textOf(page, "#form-error"));
    await page.click("#lang-toggle");
    await page.click("#save");
    ok(await waitText(page, "#form-error", "The start must be before the end"), "the error follows the language switch",
      await textOf(page, "#form-error"));
    await page.click("#lang-toggle");
    await page.click("#cancel");

    // Correction: a new entry superseding the old; the list shows only the new one.
    await page.click("#go-list");
    await waitText(page, "#entries", "Rapat koordinasi anggaran");
    list = await entries(page);
    const old = list[1];
    await page.click(`#entries .entry[data-seq="${old.seq}"] .correct`);
    ok(await waitText(page, "#form-title", "Koreksi kegiatan"), "correction form opens");
    ok((await page.inputValue("#description")) === "Rapat koordinasi anggaran", "correction form is filled in");
    await page.fill("#description", "Rapat koordinasi anggaran 2027");
    await page.click("#save");
    await visible(page, "#list");
    await waitText(page, "#entries", "anggaran 2027");
    list = await entries(page);
    const fixed = list.find((e) => e.text.includes("anggaran 2027"));
    ok(list.length === 2 && fixed && fixed.seq > old.seq && !list.some((e) => e.seq === old.seq),
      "the list shows the correction instead of the old entry", JSON.stringify(list));
    if (fixed) console.log(`# seq ${old.seq} ${fixed.seq}`);

    // Withdrawal: two presses (no dialogs on a kiosk).
    await page.click(`#entries .entry[data-seq="${list[0].seq}"] .withdraw`);
    await page.click(`#entries .entry[data-seq="${list[0].seq}"] .withdraw`);
    await page.waitForFunction(() => document.querySelectorAll("#entries .entry").length === 1, null,
      { timeout: WAIT }).catch(() => {});
    list = await entries(page);
    ok(list.length === 1 && list[0].text.includes("anggaran 2027"), "withdrawn entry leaves the list",
      JSON.stringify(list));

    // Language switch.
    await page.click("#lang-toggle");
    ok(await waitText(page, "#list h1", "Today's activities"), "English on the switch");
    ok(await waitText(page, "#entries .correct", "Correct"), "buttons switch language too");
    await page.click("#lang-toggle");
    ok(await waitText(page, "#list h1", "Kegiatan hari ini"), "and back to Bahasa Indonesia");

    // The session ends by itself after [ui] session_idle without a touch.
    const aniToken = await sessionToken(page);
    ok(await visible(page, "#idle", 20000), "session ends after the idle time: idle screen");
    ok((await statusWith(page, aniToken)) === 401, "the ended session's token is refused");

    // The next person's tap switches the session.
    await sim("card 42");
    ok(await waitText(page, "#greet-name", "Ani Lestari"), "a new tap opens a session");
    const again = await sessionToken(page);
    await sim("card 43");
    ok(await waitText(page, "#greet-name", "Budi Santoso"), "the next person's tap switches the greeting");
    ok((await statusWith(page, again)) === 401, "the previous person's token no longer works");
    await page.click("#go-list");
    await visible(page, "#list");
    ok(await visible(page, "#list-empty"), "the next person sees their own (empty) list");

    // A refused tap.
    await sim("card 999");
    ok(await waitText(page, "#refused-text", "Ditolak: kartu tidak terdaftar"), "unknown card: refused with the reason");
    await sim("wiegand 10111101100010001110001110");
    ok(await waitText(page, "#refused-text", "Ditolak: kartu tidak terbaca"), "a bad read: refused, asked to try again",
      await textOf(page, "#refused-text"));

    // The small screen: 800x480, fingers.
    const small = await browser.newPage({ viewport: { width: 800, height: 480 } });
    await small.goto(url);
    await visible(small, "#idle");
    await sim("card 43");
    ok(await waitText(small, "#greet-name", "Budi Santoso"), "800x480: greeting");
    await small.click("#go-form");
    await visible(small, "#form");
    const save = await small.locator("#save").boundingBox();
    const step = await small.locator('.step[data-target="start"]').first().boundingBox();
    ok(save && save.y + save.height <= 480 && save.height >= 44,
      "800x480: the save button is on screen and finger-sized", JSON.stringify(save));
    ok(step && step.width >= 44 && step.height >= 44, "800x480: time steppers are finger-sized", JSON.stringify(step));
    const end = await small.locator("#end").boundingBox();
    ok(end && save && end.y + end.height <= save.y, "800x480: the whole form fits above the buttons",
      JSON.stringify({ end, save }));
    await small.screenshot({ path: `${outDir}/form-800x480.png` });
    await small.click('.step[data-target="start"][data-step="15"]');
    ok(/^\d\d:\d\d$/.test(await small.inputValue("#start")), "time stepper sets a time");
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(`not ok - the browser run failed`);
  console.log(`#   ${String(e.stack || e).replace(/\n/g, "\n#   ")}`);
  process.exitCode = 1;
});
