// Render the README's pictures with headless Chromium (playwright-core): a Teams card drawn by the Adaptive Cards
// JavaScript SDK under Teams' host settings, and a Telegram conversation from the bot's real messages.
//   node render_screenshots.js shots.json OUT_DIR
// shots.json: {"teams": {"card": {...}}, "telegram": {"messages": [{"from": "user"|"bot", "text"|"html", "keyboard"}]}}
// The browser: $CHROMIUM, else Debian's /usr/bin/chromium, else one installed by `npx playwright-core install chromium`.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const CARDS = path.resolve(__dirname, '..', 'cards');
const SDK = path.join(CARDS, 'node_modules', 'adaptivecards', 'dist', 'adaptivecards.min.js');
const HOST_CONFIG = path.join(CARDS, 'teams-host-config.json');

function browserPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try { candidates.push(chromium.executablePath()); } catch (e) { /* no browser downloaded by playwright */ }
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) {
    console.error('No Chromium to take the screenshots with. Install one: `apt-get install chromium` (Debian), or '
      + '`cd tests/e2e && npx playwright-core install chromium`, or set CHROMIUM to a Chromium executable.');
    process.exit(3);
  }
  return found;
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

const TEAMS_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #f5f5f5; font-family: 'Segoe UI', 'Noto Sans', 'DejaVu Sans', sans-serif; }
  #shot { display: inline-block; padding: 24px 32px 28px 24px; }
  .row { display: flex; gap: 10px; align-items: flex-start; }
  .avatar { width: 32px; height: 32px; border-radius: 50%; background: #5b5fc7; color: #fff; font-weight: 600;
            display: flex; align-items: center; justify-content: center; font-size: 13px; flex: none; }
  .meta { font-size: 12px; color: #616161; margin: 0 0 4px 2px; }
  .meta b { color: #242424; font-weight: 600; margin-right: 8px; }
  .bubble { background: #fff; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14); width: 620px; }
  .ac-pushButton { background: #fff; border: 1px solid #d1d1d1; border-radius: 4px; color: #242424; font-weight: 600;
                   font-family: inherit; font-size: 13px; padding: 5px 12px; min-height: 32px; cursor: pointer; }
  .ac-textBlock { color: #242424; }
  /* Teams wraps a row of buttons that is wider than the card onto further lines */
  .ac-actionSet { flex-wrap: wrap !important; overflow: visible !important; row-gap: 8px; }
  .ac-actionSet > div[aria-hidden] { display: none; }
  .ac-actionSet > button { margin-right: 8px; flex: 0 1 auto !important; }
</style></head><body><div id="shot"><div class="row"><div class="avatar">AG</div><div>
  <div class="meta"><b>Attendance Guide</b>Today 09:31</div><div class="bubble" id="card"></div>
</div></div></div></body></html>`;

function telegramPage(messages) {
  const bubbles = messages.map((m) => {
    if (m.from === 'user') return `<div class="msg out"><div class="text">${escape(m.text)}</div><div class="time">09:30 ✓✓</div></div>`;
    const keys = (m.keyboard || []).map((row) => `<div class="krow">${row.map((b) => `<div class="key">${escape(b)}</div>`).join('')}</div>`).join('');
    return `<div class="msg in"><div class="text">${m.html}</div><div class="time">09:30</div></div>${keys ? `<div class="keys">${keys}</div>` : ''}`;
  }).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; font-family: 'Roboto', 'Noto Sans', 'DejaVu Sans', sans-serif; }
  #shot { width: 480px; background: #d5e3c9; background-image: linear-gradient(160deg, #dfe9cf, #b9d3a9); }
  .bar { background: #517da2; color: #fff; padding: 12px 16px; display: flex; gap: 12px; align-items: center; }
  .bar .avatar { width: 38px; height: 38px; border-radius: 50%; background: #e17076; display: flex; align-items: center;
                 justify-content: center; font-weight: 600; }
  .bar .name { font-weight: 600; font-size: 16px; } .bar .status { font-size: 13px; opacity: .8; }
  .chat { padding: 12px 10px 16px; display: flex; flex-direction: column; gap: 6px; }
  .msg { max-width: 82%; padding: 7px 10px 5px; border-radius: 12px; font-size: 14.5px; line-height: 1.38;
         box-shadow: 0 1px 1px rgba(0,0,0,.13); }
  .msg .text { white-space: pre-wrap; word-wrap: break-word; }
  .msg .time { text-align: right; font-size: 11.5px; color: #8aa0ad; margin-top: 2px; }
  .in { background: #fff; align-self: flex-start; border-bottom-left-radius: 4px; }
  .out { background: #effdde; align-self: flex-end; border-bottom-right-radius: 4px; } .out .time { color: #5fb35f; }
  .keys { align-self: flex-start; width: 82%; display: flex; flex-direction: column; gap: 4px; }
  .krow { display: flex; gap: 4px; }
  .key { flex: 1; background: rgba(74, 109, 72, .42); color: #fff; border-radius: 8px; padding: 8px 6px; text-align: center;
         font-size: 14px; font-weight: 500; }
</style></head><body><div id="shot"><div class="bar"><div class="avatar">AG</div><div><div class="name">Attendance Guide</div>
<div class="status">bot</div></div></div><div class="chat">${bubbles}</div></div></body></html>`;
}

async function main() {
  const [input, out] = process.argv.slice(2);
  if (!input || !out) { console.error('usage: node render_screenshots.js shots.json OUT_DIR'); process.exit(2); }
  const shots = JSON.parse(fs.readFileSync(input, 'utf8'));
  const browser = await chromium.launch({ executablePath: browserPath(), headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 760, height: 400 }, deviceScaleFactor: 2 });
    await page.setContent(TEAMS_PAGE);
    await page.addScriptTag({ path: SDK });
    const problems = await page.evaluate(({ card, host }) => {
      const AC = window.AdaptiveCards;
      const adaptive = new AC.AdaptiveCard();
      adaptive.hostConfig = new AC.HostConfig(host);
      const context = new AC.SerializationContext();
      adaptive.parse(card, context);
      document.getElementById('card').appendChild(adaptive.render());
      return context.eventCount;
    }, { card: shots.teams.card, host: JSON.parse(fs.readFileSync(HOST_CONFIG, 'utf8')) });
    if (problems) throw new Error(`the Teams card did not parse cleanly (${problems} events)`);
    await page.locator('#shot').screenshot({ path: path.join(out, 'teams-walk-through.png') });

    await page.setContent(telegramPage(shots.telegram.messages));
    await page.locator('#shot').screenshot({ path: path.join(out, 'telegram-conversation.png') });
  } finally {
    await browser.close();
  }
  console.log(`wrote ${path.join(out, 'teams-walk-through.png')} and ${path.join(out, 'telegram-conversation.png')}`);
}

main().catch((e) => { console.error(`screenshots failed: ${e.message}`); process.exit(1); });
