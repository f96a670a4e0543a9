import { run } from "probot";

/**
 * `npm run setup`: Probot's setup flow. With no APP_ID and PRIVATE_KEY in the
 * environment, it serves a page (http://localhost:3000) that registers a new
 * GitHub App from app.yml and writes APP_ID, PRIVATE_KEY and WEBHOOK_SECRET
 * into .env. Then start OpenJules with `npm start`.
 */
if (process.env.APP_ID && (process.env.PRIVATE_KEY || process.env.PRIVATE_KEY_PATH)) {
  console.error("This app is already registered (APP_ID and a private key are set). Start it with `npm start`.");
  process.exit(1);
}
await run(() => undefined);
