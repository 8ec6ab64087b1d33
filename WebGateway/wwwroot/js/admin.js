// The admin page: the admin token lives in sessionStorage and goes out as a bearer header; the
// server also turns it into an HttpOnly cookie scoped to /dashboard, so the Orleans Dashboard opens.
'use strict';

(() => {
  const TOKEN_KEY = 'tg.adminToken';
  const { $, showMessage, problemText, call, cell } = window.TrackGrainsPage;
  let token = sessionStorage.getItem(TOKEN_KEY);

  async function api(path, options = {}) {
    const response = await call(path, token, options, () => forget());
    return response.json();
  }

  const number = (v) => (typeof v === 'number' ? v.toLocaleString('en') : '—');
  const percent = (v) => (typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '—');
  /** ISO time to "YYYY-MM-DD HH:MM" in UTC, which the column headers say. */
  const time = (v) => (v ? new Date(v).toISOString().slice(0, 16).replace('T', ' ') : '—');

  function rowOf(cells) {
    const tr = document.createElement('tr');
    tr.append(...cells);
    return tr;
  }

  // ---- session -------------------------------------------------------------------------------

  /** Checks the token and sets the dashboard cookie; the answer says whether the token is right. */
  async function openSession(candidate) {
    const response = await fetch('/admin/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: candidate }),
    });
    if (!response.ok) {
      throw new Error(await problemText(response));
    }
  }

  function forget() {
    token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    $('admin').hidden = true;
    $('signin').hidden = false;
  }

  async function signIn(candidate) {
    await openSession(candidate);
    token = candidate;
    sessionStorage.setItem(TOKEN_KEY, candidate);
    $('signin').hidden = true;
    $('admin').hidden = false;
    await refresh();
  }

  async function signOut() {
    await fetch('/admin/logout', { method: 'POST' }).catch(() => {});
    showMessage('');
    forget();
  }

  // ---- data ----------------------------------------------------------------------------------

  async function refresh() {
    const [stats, keys] = await Promise.all([api('/api/stats'), api('/api/keys/list')]);
    renderStats(stats);
    renderUsers(stats.users || []);
    renderKeys(keys.keys);
  }

  // ---- users (per-user budgets) --------------------------------------------------------------

  function renderUsers(users) {
    const body = $('users').tBodies[0];
    if (!users.length) {
      body.replaceChildren(rowOf([cell('No Spotify user caused a SoundCharts call today.', 'muted')]));
      return;
    }
    const unlimited = (v) => (v === null || v === undefined ? 'no limit' : number(v));
    body.replaceChildren(...users.map((u) => rowOf([
      cell(u.userId),
      cell(number(u.soundchartsCalls), 'num'),
      cell(unlimited(u.dailyBudget), 'num'),
      cell(unlimited(u.remaining), 'num'),
      cell(number(u.refused), 'num'),
    ])));
  }

  function tile(label, value, note) {
    const div = document.createElement('div');
    div.className = 'tile';
    const v = document.createElement('div');
    v.className = 'value';
    v.textContent = value;
    const l = document.createElement('div');
    l.className = 'label';
    l.textContent = label;
    div.append(v, l);
    if (note) {
      const n = document.createElement('div');
      n.className = 'note';
      n.textContent = note;
      div.append(n);
    }
    return div;
  }

  function renderStats(stats) {
    const t = stats.totals;
    const failed = stats.failedRequests;
    $('totals').replaceChildren(
      tile('tracks stored', number(stats.totalTracks), `${number(stats.enrichedTracks)} with audio features`),
      tile('cache hit rate', percent(stats.cacheHitRate), `since ${t.since}`),
      tile('API requests', number(t.totalRequests), `avg ${typeof t.avgResponseTimeMs === 'number' ? t.avgResponseTimeMs.toFixed(1) : '—'} ms`),
      tile('SoundCharts calls', number(t.soundchartsCalls), `${number(t.failedCalls)} failed`),
      tile('tracks not enriched', number(failed.total), `${number(failed.retryQueue)} in the retry queue`),
    );

    const byStatus = Object.entries(failed.byStatus || {}).map(([k, v]) => `${k}: ${v}`).join(', ');
    $('failures').textContent = failed.total
      ? `${failed.total} tracks are not enriched (${byStatus}). Retrying ones come back by themselves; failed ones wait for "Retry failed now".`
      : 'No failed or waiting tracks.';

    $('warnings').replaceChildren(...(stats.warnings || []).map((w) => {
      const li = document.createElement('li');
      li.textContent = w.message;
      return li;
    }));

    $('daily').tBodies[0].replaceChildren(...(stats.daily || []).map((d) => rowOf([
      cell(d.day),
      cell(number(d.totalRequests), 'num'),
      cell(number(d.cacheHits), 'num'),
      cell(number(d.soundchartsCalls), 'num'),
      cell(number(d.failedCalls), 'num'),
      cell(percent(d.cacheHitRate), 'num'),
      cell(typeof d.avgResponseTimeMs === 'number' ? `${d.avgResponseTimeMs.toFixed(1)} ms` : '—', 'num'),
    ])));
    if (!(stats.daily || []).length) {
      $('daily').tBodies[0].replaceChildren(rowOf([cell('No requests counted yet.', 'muted')]));
    }
  }

  function renderKeys(keys) {
    const body = $('keys').tBodies[0];
    if (!keys.length) {
      body.replaceChildren(rowOf([cell('No SoundCharts key yet: add one below. Tracks wait for a key until then.', 'muted')]));
      body.rows[0].cells[0].colSpan = 11;
      return;
    }
    body.replaceChildren(...keys.map((k) => {
      const stateCell = cell('');
      const badge = document.createElement('span');
      const resting = k.restingUntil && new Date(k.restingUntil) > new Date();
      badge.className = `badge ${!k.isActive ? 'failed' : resting ? 'retrying' : 'enriched'}`;
      badge.textContent = !k.isActive ? 'inactive' : resting ? 'resting' : 'active';
      badge.title = !k.isActive ? (k.deactivationReason || '') : resting ? `rate limited until ${time(k.restingUntil)} UTC` : '';
      stateCell.append(badge);
      if (!k.isActive && k.deactivationReason) {
        const reason = document.createElement('div');
        reason.className = 'note';
        reason.textContent = k.nextQuotaCheckAt
          ? `${k.deactivationReason}; quota checked again at ${time(k.nextQuotaCheckAt)} UTC`
          : k.deactivationReason;
        stateCell.append(reason);
      }
      const rate = typeof k.rateLimitLimit === 'number' ? `${number(k.rateLimitRemaining)} / ${number(k.rateLimitLimit)}` : '—';
      return rowOf([
        cell(k.id, 'mono'),
        cell(k.appId),
        cell(k.apiKey, 'mono'),
        stateCell,
        cell(number(k.quotaRemaining), 'num'),
        cell(rate, 'num'),
        cell(number(k.inFlight), 'num'),
        cell(number(k.totalRequests), 'num'),
        cell(number(k.failedRequests), 'num'),
        cell(time(k.lastUsed), 'date'),
        removeKeyCell(k),
      ]);
    }));
  }

  // ---- key removal ---------------------------------------------------------------------------

  function removeKeyCell(k) {
    const td = cell('');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'danger';
    button.textContent = 'Delete';
    button.title = `Remove key ${k.id}: it is never called again and its secret is erased`;
    button.addEventListener('click', () => removeKey(k, button).catch((e) => showMessage(e.message)));
    td.append(button);
    return td;
  }

  async function removeKey(k, button) {
    if (!window.confirm(`Delete key ${k.id} (app ${k.appId})? It is never called again and its secret is erased; `
      + 'to use it again, add it with its app id and API key.')) {
      return;
    }
    button.disabled = true;
    try {
      // 204 has no body, so this goes through call() rather than api().
      await call(`/api/keys/${encodeURIComponent(k.id)}`, token, { method: 'DELETE' }, () => forget());
      showMessage(`Deleted key ${k.id}.`, 'ok');
      await refresh();
    } finally {
      button.disabled = false;
    }
  }

  async function addKey(event) {
    event.preventDefault();
    const appId = $('key-app').value.trim();
    const apiKey = $('key-secret').value.trim();
    const result = await api('/api/keys/add', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ appId, apiKey }),
    });
    $('key-app').value = '';
    $('key-secret').value = '';
    showMessage(result.isActive
      ? `Key ${result.keyId} is active; tracks that waited for a key resume now.`
      : `Key ${result.keyId} is registered but cannot serve: ${result.deactivationReason || 'see the key list'}.`, result.isActive ? 'ok' : undefined);
    await refresh();
  }

  async function retryFailed() {
    const button = $('retry');
    button.disabled = true;
    const out = $('retry-result');
    out.hidden = false;
    out.textContent = 'Retrying…';
    try {
      const r = await api('/api/retry-failed', { method: 'POST' });
      out.textContent = r.processed === 0
        ? 'Nothing to retry: no track is retrying or failed.'
        : `Retried ${r.processed} tracks: ${r.succeeded} enriched, ${r.failed} still failing.`;
      if (r.skippedGone) {
        out.textContent += ` ${r.skippedGone} refused by SoundCharts for good (410) were left alone.`;
      }
      await refresh();
    } catch (e) {
      out.hidden = true;
      showMessage(e.message);
    } finally {
      button.disabled = false;
    }
  }

  /** Fetches a snapshot with the bearer header (a plain link could not send it) and saves it under the server's name. */
  async function downloadBackup() {
    const button = $('backup');
    const out = $('backup-result');
    button.disabled = true;
    out.hidden = false;
    out.textContent = 'Taking a snapshot…';
    try {
      const response = await call('/api/admin/backup', token, {}, () => forget());
      const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') || '')?.[1] || 'trackgrains-backup.db';
      const blob = await response.blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = name;
      link.click();
      // Revoked once the browser has taken the download over; at once, some browsers would cancel it.
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      out.textContent = `Saved ${name} (${number(blob.size)} bytes).`;
    } catch (e) {
      out.hidden = true;
      showMessage(e.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- start ---------------------------------------------------------------------------------

  function start() {
    const fail = (e) => showMessage(e.message);
    $('signin-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const candidate = $('admin-token').value.trim();
      $('admin-token').value = '';
      showMessage('');
      signIn(candidate).catch(fail);
    });
    $('signout').addEventListener('click', () => signOut());
    $('refresh').addEventListener('click', () => {
      showMessage('');
      refresh().catch(fail);
    });
    $('retry').addEventListener('click', () => retryFailed());
    $('backup').addEventListener('click', () => downloadBackup());
    $('add-key').addEventListener('submit', (e) => addKey(e).catch(fail));

    if (token) {
      // Renews the dashboard cookie too, which lives only as long as the browser session.
      signIn(token).catch((e) => {
        forget();
        fail(e);
      });
    } else {
      $('signin').hidden = false;
    }
  }

  start();
})();
