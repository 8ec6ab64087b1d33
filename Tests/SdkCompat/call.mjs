// Calls TrackGrains through Spotify's official TypeScript SDK, the way a real program points the SDK at it:
// SpotifyApi.withAccessToken with a custom fetch that swaps the SDK's fixed https://api.spotify.com/v1/ prefix
// for <base URL>/v1/. Nothing else of the SDK is replaced (its query building, response validation and
// deserialisation are what the tests check against).
//
// Usage: node call.mjs <base-url> <calls-json>
//   The bearer token comes from the environment variable SDK_ACCESS_TOKEN (kept off the command line, which other
//   processes can read). <calls-json> is one call or an array of calls; a call is
//   { "method": "tracks.audioFeatures", "args": [["id1", "id2"]], "withoutAuthorization": false }
//   where method names an SDK endpoint method (recommendations.get, tracks.audioFeatures, ...) and args its arguments.
//   withoutAuthorization drops the Authorization header the SDK sends, to see how an anonymous caller is answered.
// Output (stdout, JSON):
//   one call:   the SDK's result; on an SDK error, { "error": message, "status": last HTTP status } and exit code 1.
//   an array:   [{ "result": ... } | { "error": message, "status": ... }] in order; exit code 1 when any call failed.
// Exit code 2: the command line itself is wrong.
import { SpotifyApi } from "@spotify/web-api-ts-sdk";

const [baseUrlArgument, callsArgument] = process.argv.slice(2);
if (!baseUrlArgument || !callsArgument) {
  process.stderr.write("usage: node call.mjs <base-url> <calls-json> (token in SDK_ACCESS_TOKEN)\n");
  process.exit(2);
}
const accessToken = process.env.SDK_ACCESS_TOKEN ?? "";
const sdkRoot = SpotifyApi.rootUrl;
const serverRoot = baseUrlArgument.replace(/\/+$/, "") + "/v1/";

let parsed;
try {
  parsed = JSON.parse(callsArgument);
} catch (error) {
  process.stderr.write(`calls-json is not JSON: ${error.message}\n`);
  process.exit(2);
}
const single = !Array.isArray(parsed);
const calls = single ? [parsed] : parsed;

/** One SDK client per call, so a call's options (no Authorization header) and its observed status stay its own. */
function clientFor(call, observed) {
  const fetchToServer = async (url, init) => {
    const href = typeof url === "string" ? url : url.toString();
    if (!href.startsWith(sdkRoot)) {
      // Anything else would leave this machine; the SDK should build every URL on its root.
      throw new Error(`the SDK asked for ${href}, outside ${sdkRoot}`);
    }
    const headers = { ...(init?.headers ?? {}) };
    if (call.withoutAuthorization) {
      delete headers.Authorization;
    }
    const target = serverRoot + href.slice(sdkRoot.length);
    observed.urls.push(target);
    const response = await fetch(target, { ...init, headers });
    observed.status = response.status;
    return response;
  };
  return SpotifyApi.withAccessToken(
    "client-id",
    { access_token: accessToken, token_type: "Bearer", expires_in: 3600, refresh_token: "" },
    { fetch: fetchToServer });
}

function methodOf(sdk, name) {
  const parts = String(name ?? "").split(".");
  if (parts.length !== 2 || !(parts[0] in sdk) || typeof sdk[parts[0]]?.[parts[1]] !== "function") {
    throw new Error(`no SDK method '${name}' (expected e.g. recommendations.get or tracks.audioFeatures)`);
  }
  const endpoints = sdk[parts[0]];
  return endpoints[parts[1]].bind(endpoints);
}

const outcomes = [];
for (const call of calls) {
  const observed = { status: null, urls: [] };
  try {
    const method = methodOf(clientFor(call, observed), call.method);
    const result = await method(...(call.args ?? []));
    outcomes.push({ result: result ?? null, urls: observed.urls });
  } catch (error) {
    outcomes.push({ error: error?.message ?? String(error), status: observed.status, urls: observed.urls });
  }
}

const failed = outcomes.some(o => "error" in o);
if (single) {
  const [only] = outcomes;
  process.stdout.write(JSON.stringify("error" in only ? { error: only.error, status: only.status } : only.result));
} else {
  process.stdout.write(JSON.stringify(outcomes));
}
process.exitCode = failed ? 1 : 0;
