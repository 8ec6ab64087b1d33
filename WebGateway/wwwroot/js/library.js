// The library page: Spotify sign-in (Authorization Code with PKCE, exchanged from the browser, the
// access token kept in sessionStorage only), sync with progress, the library table and a scatter plot.
'use strict';

(() => {
  const TOKEN_KEY = 'tg.spotifyToken';
  const PKCE_KEY = 'tg.pkce';
  const PAGE_SIZE = 50;
  const SVG = 'http://www.w3.org/2000/svg'; // an XML namespace name, not a host the page talks to
  const KEYS = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

  const { $, showMessage, call, cell } = window.TrackGrainsPage;
  const state = { config: null, token: sessionStorage.getItem(TOKEN_KEY), offset: 0, total: 0, tracks: [] };

  // ---- small helpers -------------------------------------------------------------------------

  /** Calls our API with the Spotify token; a 401 means the token is gone, so it signs out. */
  function api(path, options = {}) {
    return call(path, state.token, options, (status) => {
      if (status === 401) {
        signOut();
      }
    });
  }

  function base64url(bytes) {
    let text = '';
    for (const b of bytes) {
      text += String.fromCharCode(b);
    }
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function randomString(byteCount) {
    return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
  }

  const fixed = (value, digits) => (typeof value === 'number' ? value.toFixed(digits) : '—');
  const plural = (count, noun) => `${count} ${noun}${count === 1 ? '' : 's'}`;

  // ---- sign-in -------------------------------------------------------------------------------

  function redirectUri() {
    return `${location.origin}/callback`;
  }

  function loopbackUrl() {
    return `${location.protocol}//127.0.0.1${location.port ? `:${location.port}` : ''}/?connect=1`;
  }

  async function connect() {
    const config = state.config;
    if (!config || !config.spotifyClientId) {
      return;
    }
    // Spotify accepts plain-http redirects only to loopback IP literals, never to "localhost".
    if (location.hostname === 'localhost') {
      location.assign(loopbackUrl());
      return;
    }
    if (!window.isSecureContext || !crypto.subtle) {
      showMessage('Signing in needs this page over https, or at http://127.0.0.1:<port>/; open it there, or paste a token below.');
      return;
    }
    const verifier = randomString(64);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    const pending = { verifier, state: randomString(16), redirectUri: redirectUri() };
    sessionStorage.setItem(PKCE_KEY, JSON.stringify(pending));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: config.spotifyClientId,
      scope: config.scopes,
      redirect_uri: pending.redirectUri,
      code_challenge_method: 'S256',
      code_challenge: base64url(new Uint8Array(digest)),
      state: pending.state,
    });
    location.assign(`${config.spotifyAccountsBaseUrl}/authorize?${query}`);
  }

  /** Back from Spotify on /callback: check the state, exchange the code (PKCE needs no secret). */
  async function finishSignIn() {
    const query = new URLSearchParams(location.search);
    history.replaceState(null, '', '/');
    const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) || 'null');
    sessionStorage.removeItem(PKCE_KEY);
    if (query.get('error')) {
      throw new Error(`Spotify did not sign you in (${query.get('error')}); press Connect Spotify to try again.`);
    }
    if (!pending || query.get('state') !== pending.state || !query.get('code')) {
      throw new Error('This sign-in answer does not belong to a sign-in started in this tab; press Connect Spotify again.');
    }
    const response = await fetch(`${state.config.spotifyAccountsBaseUrl}/api/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: query.get('code'),
        redirect_uri: pending.redirectUri,
        client_id: state.config.spotifyClientId,
        code_verifier: pending.verifier,
      }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok || !body.access_token) {
      throw new Error(`Spotify refused the sign-in (${body.error_description || body.error || response.status}); press Connect Spotify again.`);
    }
    useToken(body.access_token);
  }

  function useToken(token) {
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    showLibrary();
  }

  function signOut() {
    state.token = null;
    state.tracks = [];
    sessionStorage.removeItem(TOKEN_KEY);
    showSignIn();
  }

  function showSignIn() {
    $('library').hidden = true;
    $('signin').hidden = false;
    const config = state.config || {};
    const note = $('connect-note');
    const connectButton = $('connect');
    note.hidden = true;
    connectButton.disabled = !config.spotifyClientId;
    if (!config.spotifyClientId) {
      note.textContent = 'Connect is off: this server has no Spotify:ClientId. Set it to your Spotify app\'s client id '
        + `(with ${redirectUri().replace('//localhost', '//127.0.0.1')} as a redirect URI), or paste an access token below.`;
      note.hidden = false;
      $('paste').open = true;
    } else if (location.hostname === 'localhost') {
      note.textContent = 'Spotify does not accept "localhost" in redirects: Connect reopens this page at 127.0.0.1 first.';
      note.hidden = false;
    }
    $('use-demo').hidden = !config.demoToken;
    if (config.demoToken) {
      $('paste').open = true;
    }
  }

  function showLibrary() {
    $('signin').hidden = true;
    $('library').hidden = false;
    loadLibrary().catch((e) => showMessage(e.message));
  }

  // ---- sync ----------------------------------------------------------------------------------

  async function sync() {
    const button = $('sync');
    button.disabled = true;
    showMessage('');
    $('sync-panel').hidden = false;
    renderSync(null);
    try {
      const response = await api('/api/sync', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ collectionType: 'saved' }),
      });
      let status = await response.json();
      renderSync(status);
      if (status.state === 'running') {
        status = await follow(status.syncId);
      }
      renderSync(status);
      if (status.state === 'failed') {
        showMessage(`The sync failed: ${status.error || 'no reason given'}.`);
      }
      state.offset = 0;
      await loadLibrary();
    } catch (e) {
      showMessage(e.message);
    } finally {
      button.disabled = false;
    }
  }

  /** The progress stream, read with fetch so it can carry the Authorization header; polling if it breaks. */
  async function follow(syncId) {
    try {
      return await readEvents(syncId);
    } catch (e) {
      if (!state.token) {
        throw e;
      }
      return poll(syncId);
    }
  }

  async function readEvents(syncId) {
    const response = await api(`/api/sync/${syncId}/events`, { headers: { Accept: 'text/event-stream' } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let last = null;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        break;
      }
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = parseEvent(block);
        if (!event.data) {
          continue; // a keep-alive comment
        }
        last = JSON.parse(event.data);
        renderSync(last);
        if (event.name === 'completed' || event.name === 'failed') {
          reader.cancel().catch(() => {});
          return last;
        }
      }
    }
    if (last && last.state !== 'running') {
      return last;
    }
    throw new Error('The progress stream ended before the sync did.');
  }

  function parseEvent(block) {
    const event = { name: 'message', data: '' };
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) {
        value = value.slice(1);
      }
      if (field === 'event') {
        event.name = value;
      } else if (field === 'data') {
        event.data += (event.data ? '\n' : '') + value;
      }
    }
    return event;
  }

  async function poll(syncId) {
    for (;;) {
      const status = await (await api(`/api/sync/${syncId}`)).json();
      renderSync(status);
      if (status.state !== 'running') {
        return status;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  function renderSync(status) {
    const bar = $('sync-progress');
    const text = $('sync-text');
    let fraction = null;
    if (!status) {
      text.textContent = 'Starting the sync…';
    } else if (status.state === 'running') {
      const p = status.progress;
      // Until tracks are found there is no total to measure against: the bar shows activity, not a fraction.
      fraction = p.tracksFound > 0 ? p.tracksDone / p.tracksFound : null;
      text.textContent = `Reading Spotify: ${plural(p.itemsScanned, 'item')} on ${plural(p.pages, 'page')}. `
        + `Audio features: ${p.tracksDone} of ${plural(p.tracksFound, 'track')}.`;
    } else if (status.state === 'completed') {
      fraction = 1;
      const s = status.stats || {};
      text.textContent = `Done: ${s.total} tracks. ${s.cached} already stored, ${s.fetchedFromSoundCharts} fetched from SoundCharts, `
        + `${s.notFound} unknown to SoundCharts, ${s.failed} failed (retried later). `
        + `${s.addedToLibrary} added to and ${s.removedFromLibrary} removed from your library.`;
    } else {
      fraction = 1;
      text.textContent = `Failed: ${status.error || 'no reason given'}`;
    }
    if (fraction === null) {
      bar.removeAttribute('value');
    } else {
      bar.value = fraction;
    }
    bar.classList.toggle('failed', !!status && status.state === 'failed');
    $('sync-percent').textContent = fraction === null ? '' : `${Math.round(fraction * 100)} %`;
  }

  // ---- library table and plot ----------------------------------------------------------------

  async function loadLibrary() {
    const response = await api(`/api/library?offset=${state.offset}&limit=${PAGE_SIZE}`);
    const page = await response.json();
    state.total = page.total;
    state.tracks = page.tracks;
    render();
  }

  function render() {
    const filter = $('search').value.trim().toLowerCase();
    const rows = state.tracks.filter((t) => !filter || (t.name || '').toLowerCase().includes(filter));
    $('tracks').tBodies[0].replaceChildren(...rows.map(row));

    const empty = $('empty');
    empty.hidden = rows.length > 0;
    empty.textContent = state.total === 0
      ? 'No tracks yet: press Sync to bring in your saved tracks from Spotify.'
      : `No track on this page has "${$('search').value.trim()}" in its name.`;

    const first = state.tracks.length ? state.offset + 1 : 0;
    $('page-info').textContent = state.total ? `${first}–${state.offset + state.tracks.length} of ${state.total}` : '';
    $('prev').disabled = state.offset === 0;
    $('next').disabled = state.offset + state.tracks.length >= state.total;
    drawPlot(rows);
  }

  function keyName(audio) {
    if (!audio || typeof audio.key !== 'number' || audio.key < 0 || audio.key > 11) {
      return '—';
    }
    const mode = audio.mode === 1 ? ' major' : audio.mode === 0 ? ' minor' : '';
    return KEYS[audio.key] + mode;
  }

  function row(track) {
    const audio = track.audioFeatures || {};
    const status = (track.enrichment && track.enrichment.status) || 'pending';
    const tr = document.createElement('tr');
    const name = cell(track.name || track.id, 'name');
    name.title = track.name || track.id;
    const artists = (track.artists || []).map((a) => a.name).filter(Boolean).join(', ');
    const badge = document.createElement('span');
    badge.className = `badge ${status}`;
    badge.textContent = status;
    if (track.enrichment && track.enrichment.lastError) {
      badge.title = track.enrichment.lastError;
    }
    const statusCell = cell('');
    statusCell.append(badge);
    tr.append(
      name,
      cell(artists || '—', 'artists'),
      cell(track.addedAt ? track.addedAt.slice(0, 10) : '—', 'date'),
      cell(fixed(audio.tempo, 0), 'num'),
      cell(fixed(audio.energy, 2), 'num'),
      cell(fixed(audio.danceability, 2), 'num'),
      cell(fixed(audio.valence, 2), 'num'),
      cell(keyName(track.audioFeatures)),
      statusCell,
    );
    return tr;
  }

  function svg(name, attributes, text) {
    const element = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes)) {
      element.setAttribute(k, v);
    }
    if (text !== undefined) {
      element.textContent = text;
    }
    return element;
  }

  /** Tempo on x, energy on y, one dot per track with both values; axes and grid drawn by hand. */
  function drawPlot(tracks) {
    const plot = $('plot');
    const width = 360;
    const height = 280;
    const m = { left: 50, right: 14, top: 12, bottom: 44 };
    const points = tracks.filter((t) => t.audioFeatures
      && typeof t.audioFeatures.tempo === 'number' && typeof t.audioFeatures.energy === 'number');
    const tempos = points.map((t) => t.audioFeatures.tempo);
    const low = points.length ? Math.min(...tempos) : 60;
    const high = points.length ? Math.max(...tempos) : 200;
    // Ticks every 20 BPM (40 for a wide spread), and the axis ends on ticks.
    const xStep = high - low > 160 ? 40 : 20;
    const xMin = Math.floor(low / xStep) * xStep;
    const xMax = Math.max(Math.ceil(high / xStep) * xStep, xMin + xStep);
    const x = (v) => m.left + ((v - xMin) / (xMax - xMin)) * (width - m.left - m.right);
    const y = (v) => height - m.bottom - Math.max(0, Math.min(1, v)) * (height - m.top - m.bottom);

    const nodes = [];
    for (let v = xMin; v <= xMax; v += xStep) {
      nodes.push(svg('line', { class: 'grid', x1: x(v), x2: x(v), y1: m.top, y2: height - m.bottom }));
      nodes.push(svg('text', { class: 'tick', x: x(v), y: height - m.bottom + 18, 'text-anchor': 'middle' }, String(v)));
    }
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      nodes.push(svg('line', { class: 'grid', x1: m.left, x2: width - m.right, y1: y(v), y2: y(v) }));
      nodes.push(svg('text', { class: 'tick', x: m.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, v.toFixed(2)));
    }
    nodes.push(svg('line', { class: 'axis', x1: m.left, x2: width - m.right, y1: height - m.bottom, y2: height - m.bottom }));
    nodes.push(svg('line', { class: 'axis', x1: m.left, x2: m.left, y1: m.top, y2: height - m.bottom }));
    nodes.push(svg('text', { class: 'label', x: (m.left + width - m.right) / 2, y: height - 6, 'text-anchor': 'middle' }, 'tempo (BPM)'));
    nodes.push(svg('text', { class: 'label', x: 13, y: (m.top + height - m.bottom) / 2, 'text-anchor': 'middle',
      transform: `rotate(-90 13 ${(m.top + height - m.bottom) / 2})` }, 'energy'));

    for (const t of points) {
      const a = t.audioFeatures;
      const dot = svg('circle', { class: 'dot', cx: x(a.tempo).toFixed(1), cy: y(a.energy).toFixed(1), r: 4 });
      dot.append(svg('title', {}, `${t.name}: ${a.tempo.toFixed(0)} BPM, energy ${a.energy.toFixed(2)}`));
      nodes.push(dot);
    }
    if (!points.length) {
      nodes.push(svg('text', { class: 'label', x: width / 2, y: height / 2 - 10, 'text-anchor': 'middle' }, tracks.length ? 'No track here has tempo and energy' : 'Nothing to plot yet'));
    }
    plot.replaceChildren(...nodes);
  }

  // ---- start ---------------------------------------------------------------------------------

  async function start() {
    $('connect').addEventListener('click', () => connect().catch((e) => showMessage(e.message)));
    $('token-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const token = $('token-input').value.trim();
      $('token-input').value = '';
      if (token) {
        useToken(token);
      }
    });
    $('use-demo').addEventListener('click', () => useToken(state.config.demoToken));
    $('signout').addEventListener('click', () => {
      showMessage('');
      signOut();
    });
    $('sync').addEventListener('click', sync);
    $('search').addEventListener('input', render);
    $('prev').addEventListener('click', () => {
      state.offset = Math.max(0, state.offset - PAGE_SIZE);
      loadLibrary().catch((e) => showMessage(e.message));
    });
    $('next').addEventListener('click', () => {
      state.offset += PAGE_SIZE;
      loadLibrary().catch((e) => showMessage(e.message));
    });

    try {
      const response = await fetch('/api/client-config');
      state.config = await response.json();
    } catch {
      showMessage('The server did not answer; reload the page when it is up.');
      return;
    }
    if (location.pathname === '/callback') {
      try {
        await finishSignIn();
        return;
      } catch (e) {
        showMessage(e.message);
      }
    }
    if (state.token) {
      showLibrary();
    } else {
      showSignIn();
      if (new URLSearchParams(location.search).get('connect') === '1') {
        history.replaceState(null, '', '/');
        connect().catch((e) => showMessage(e.message));
      }
    }
  }

  start();
})();
