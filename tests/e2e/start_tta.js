// start_tta.js -- run telegram-test-api 4.2.1 on 127.0.0.1 with a small Bot-API compatibility shim
// (the npm package ships no start script, so it is started from code).
//   node start_tta.js            (TTA_PORT=9000 default, TTA_COMPAT=0 to disable the shim)
const path = require('path');
const base = path.dirname(require.resolve('telegram-test-api'));   // .../telegram-test-api/lib
const TelegramServer = require('telegram-test-api');
const port = Number(process.env.TTA_PORT || 9000);

if (process.env.TTA_COMPAT !== '0') {
  // 1) every response goes through res.sendResult/res.sendError (middleware installed in the
  //    constructor from this module object), so wrap it before constructing the server.
  const sr = require(path.join(base, 'modules/sendResult'));
  const orig = sr.sendResult;
  sr.sendResult = (req, res, next) => orig(req, res, () => {
    const send = res.sendResult;
    res.sendResult = (data) => {
      if (data && data.ok && /\/getMe$/.test(req.path) && data.result) data.result.is_bot = true;
      if (data && data.ok && /\/bot[^/]+\/edit/.test(req.path) && data.result == null) data.result = true;
      const wait = Math.min(Number((req.body && req.body.timeout) || 0), LONG_POLL_SECONDS) * 1000;
      if (data && data.ok && /\/getUpdates$/.test(req.path) && !data.result.length && wait > 0) {
        let gone = false;  // a bot that stopped polling must not be handed (and so lose) later updates
        res.on('close', () => { gone = true; });
        return longPoll(req.params.token || req.path.split('/')[1].slice(3), Date.now() + wait, send, () => gone);
      }
      return send(data);
    };
    res.sendError = (err) => res.status(400).json({ ok: false, error_code: 400, description: err.message });
    next();
  });
  // 2) getUpdates answers at once even when there is nothing new; like Telegram, hold an empty answer (up to the
  //    bot's long-poll timeout, capped) until an update arrives, so a polling bot does not spin
  const LONG_POLL_SECONDS = 1;
  const pending = (token) => server.storage.userMessages.some((u) => u.botToken === token && !u.isRead);
  const longPoll = (token, deadline, send, gone) => {
    if (gone()) return undefined;
    if (pending(token) || Date.now() >= deadline) return send({ ok: true, result: server.getUpdates(token) });
    setTimeout(() => longPoll(token, deadline, send, gone), 20);
    return undefined;
  };
  // 3) Bot API methods the emulator lacks that the bot calls at start-up: accepted and ignored
  const routes = require(path.join(base, 'routes/index')).routes;
  const { handle } = require(path.join(base, 'routes/bot/utils'));
  for (const method of ['setMyCommands']) {
    routes.splice(routes.length - 1, 0, (app) => handle(app, `/bot:token/${method}`,
      (req, res) => res.sendResult({ ok: true, result: true })));
  }
  // 4) bot messages are returned with date in milliseconds -> seconds
  const addBot = TelegramServer.prototype.addBotMessage;
  TelegramServer.prototype.addBotMessage = function (raw, token) {
    const msg = addBot.call(this, raw, token);
    msg.date = Math.floor(msg.date / 1000);
    return msg;
  };
  // 5) callback_query updates lack the required chat_instance
  const fmt = TelegramServer.formatUpdate;
  TelegramServer.formatUpdate = (u) => {
    const out = fmt(u);
    if (out.callback_query) out.callback_query.chat_instance = String(out.callback_query.chat_instance || 'tta');
    return out;
  };
}
// 6) a failing webhook POST is an unhandled rejection that kills node: log it instead
process.on('unhandledRejection', (e) => console.error('unhandledRejection:', e && e.message));

const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 60 });
server.start().then(() => console.log(`telegram-test-api listening on ${server.config.apiURL}`));
// server.stop() waits for keep-alive sockets (PTB's pooled httpx connections) and can hang: cap it
const stop = () => { setTimeout(() => process.exit(0), 1000).unref(); server.stop().then(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
