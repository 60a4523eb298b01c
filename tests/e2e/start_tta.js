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
      return send(data);
    };
    res.sendError = (err) => res.status(400).json({ ok: false, error_code: 400, description: err.message });
    next();
  });
  // 2) bot messages are returned with date in milliseconds -> seconds
  const addBot = TelegramServer.prototype.addBotMessage;
  TelegramServer.prototype.addBotMessage = function (raw, token) {
    const msg = addBot.call(this, raw, token);
    msg.date = Math.floor(msg.date / 1000);
    return msg;
  };
  // 3) callback_query updates lack the required chat_instance
  const fmt = TelegramServer.formatUpdate;
  TelegramServer.formatUpdate = (u) => {
    const out = fmt(u);
    if (out.callback_query) out.callback_query.chat_instance = String(out.callback_query.chat_instance || 'tta');
    return out;
  };
}
// 4) a failing webhook POST is an unhandled rejection that kills node: log it instead
process.on('unhandledRejection', (e) => console.error('unhandledRejection:', e && e.message));

const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 60 });
server.start().then(() => console.log(`telegram-test-api listening on ${server.config.apiURL}`));
// server.stop() waits for keep-alive sockets (PTB's pooled httpx connections) and can hang: cap it
const stop = () => { setTimeout(() => process.exit(0), 1000).unref(); server.stop().then(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
