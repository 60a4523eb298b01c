// Validate Adaptive Cards with the Adaptive Cards JavaScript SDK under Microsoft Teams' host settings.
//   node validate_cards.js cards.json      (a JSON list of {"name": ..., "card": {...}})
// Prints one JSON object: {"checked": N, "problems": [{"name", "message"}]}. Exit 0 when every card is valid,
// 1 when any card has a problem, 2 when the input cannot be read.
'use strict';
const fs = require('fs');
const path = require('path');
const AC = require('adaptivecards/dist/adaptivecards.js');  // the package's lib/ is ESM Node cannot load

// The newest schema version Teams renders (desktop, web and mobile).
const TEAMS_MAX_VERSION = AC.Versions.v1_5;
const HOST = new AC.HostConfig(JSON.parse(fs.readFileSync(path.join(__dirname, 'teams-host-config.json'), 'utf8')));

function dropped(input, output, where, out) {
  // Properties of the card as sent that the SDK did not keep: names it does not know, or values it rejected.
  if (Array.isArray(input)) {
    input.forEach((item, i) => dropped(item, Array.isArray(output) ? output[i] : undefined, `${where}[${i}]`, out));
    return;
  }
  if (input === null || typeof input !== 'object') {
    if (input !== output) out.push(`${where}: ${JSON.stringify(input)} was not kept (the SDK has ${JSON.stringify(output)})`);
    return;
  }
  if (where.endsWith('.data')) return;  // Action.Submit data is the bot's own payload, passed through as is
  for (const key of Object.keys(input)) {
    const next = output && typeof output === 'object' ? output[key] : undefined;
    if (next === undefined) out.push(`${where}.${key}: not an Adaptive Card property here (dropped by the SDK)`);
    else dropped(input[key], next, `${where}.${key}`, out);
  }
}

function problems(json) {
  const found = [];
  const declared = AC.Version.parse(json && json.version, new AC.SerializationContext());
  if (!declared || !declared.isValid) found.push(`version ${JSON.stringify(json && json.version)} is not a valid version`);
  else if (declared.major > TEAMS_MAX_VERSION.major || (declared.major === TEAMS_MAX_VERSION.major && declared.minor > TEAMS_MAX_VERSION.minor))
    found.push(`version ${json.version} is newer than Teams renders (${TEAMS_MAX_VERSION.toString()})`);
  const context = new AC.SerializationContext(declared && declared.isValid ? declared : TEAMS_MAX_VERSION);
  const card = new AC.AdaptiveCard();
  card.hostConfig = HOST;
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) found.push(`parse: ${context.getEventAt(i).message}`);
  for (const event of card.validateProperties().validationEvents) found.push(`validate: ${event.message}`);
  dropped(json, card.toJSON(context), 'card', found);
  return found;
}

function main() {
  let cards;
  try {
    cards = JSON.parse(fs.readFileSync(process.argv[2] || 0, 'utf8'));
    if (!Array.isArray(cards)) throw new Error('expected a JSON list of {"name", "card"}');
  } catch (e) {
    console.error(`cannot read the cards: ${e.message}`);
    process.exit(2);
  }
  const report = { checked: 0, problems: [] };
  for (const { name, card } of cards) {
    report.checked += 1;
    for (const message of problems(card)) report.problems.push({ name, message });
  }
  console.log(JSON.stringify(report));
  process.exit(report.problems.length ? 1 : 0);
}

main();
