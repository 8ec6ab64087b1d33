// The library page: Spotify sign-in (Authorization Code with PKCE, exchanged from the browser, the
// access token kept in sessionStorage only), sync with progress, the library table searched and sorted
// by the server over the whole library (its position kept in the URL), export, plots of every track
// drawn with the vendored Chart.js, and picks (recommendations) shown in the same table and plots:
// "more like this" on a row, or a mix of up to five seeds from the table with a few targets.
'use strict';

(() => {
  const TOKEN_KEY = 'tg.spotifyToken';
  const PKCE_KEY = 'tg.pkce';
  const MIX_KEY = 'tg.mix';
  // The server takes 1 to 5 seeds per request, as Spotify's recommendations did.
  const MIX_MAX_SEEDS = 5;
  const PICKS_LIMIT = 20;
  // The targets the mix form offers, with how a banner names them.
  const TARGETS = {
    tempo: { label: 'tempo', unit: ' BPM', digits: 0 },
    energy: { label: 'energy', unit: '', digits: 2 },
    danceability: { label: 'danceability', unit: '', digits: 2 },
    valence: { label: 'valence', unit: '', digits: 2 },
  };
  const PAGE_SIZE = 50;
  const SEARCH_DELAY_MS = 250;
  const KEYS = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];
  // Features a person can plot, with how to show their values.
  // range: the scale's fixed ends, for features with known bounds, so plots of two selections compare.
  const UNIT = [0, 1];
  const FEATURES = {
    energy: { label: 'Energy', digits: 2, range: UNIT },
    valence: { label: 'Valence (mood)', digits: 2, range: UNIT },
    danceability: { label: 'Danceability', digits: 2, range: UNIT },
    tempo: { label: 'Tempo (BPM)', digits: 0 },
    acousticness: { label: 'Acousticness', digits: 2, range: UNIT },
    instrumentalness: { label: 'Instrumentalness', digits: 2, range: UNIT },
    liveness: { label: 'Liveness', digits: 2, range: UNIT },
    speechiness: { label: 'Speechiness', digits: 2, range: UNIT },
    loudness: { label: 'Loudness (dB)', digits: 1 },
    popularity: { label: 'Popularity', digits: 0, range: [0, 100] },
  };
  // recs: the recommendation request (its query string) whose picks the table shows instead of the library.
  const DEFAULT_VIEW = { q: '', sort: 'addedAt', order: '', offset: 0, playlist: '', recs: '' };

  const { $, showMessage, call, cell } = window.TrackGrainsPage;
  const state = {
    config: null,
    token: sessionStorage.getItem(TOKEN_KEY),
    view: { ...DEFAULT_VIEW },
    total: 0,
    order: 'desc',
    tracks: [],
    // The library's features (as /api/library/features answers) and the selection they are for.
    features: null,
    featuresFor: null,
    // The features the plots show now: the library's, or the picks' while picks are shown.
    plotted: null,
    charts: {},
    pageRequest: 0,
    featuresRequest: 0,
    searchTimer: 0,
    // Seeds of the mix ({ id, name }), kept for the tab so they survive paging, searching and reloads.
    mix: readMix(),
    // Track names seen in the table, so a banner can name its seeds.
    names: new Map(),
    // The scope of the picks shown, for the words of an empty answer.
    picksScope: 'all',
    // The element to focus once the table is drawn (after opening picks, or going back).
    focusAfterRender: null,
  };

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

  function readMix() {
    try {
      const seeds = JSON.parse(sessionStorage.getItem(MIX_KEY) || '[]');
      return Array.isArray(seeds) ? seeds.filter((s) => s && typeof s.id === 'string').slice(0, MIX_MAX_SEEDS) : [];
    } catch {
      return [];
    }
  }

  const fixed = (value, digits) => (typeof value === 'number' ? value.toFixed(digits) : '—');
  const number = (count) => count.toLocaleString('en-US');
  const plural = (count, noun) => `${number(count)} ${noun}${count === 1 ? '' : 's'}`;

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
    state.features = null;
    state.featuresFor = null;
    state.plotted = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(MIX_KEY);
    state.mix = [];
    renderMix();
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
    loadPlaylists();
    refresh();
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
        body: JSON.stringify({ collectionType: $('sync-what').value }),
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
      state.featuresFor = null;
      await loadPlaylists();
      refresh();
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
      text.textContent = `Done: ${plural(s.total, 'track')}. ${number(s.cached)} already stored, ${number(s.fetchedFromSoundCharts)} fetched from SoundCharts, `
        + `${number(s.notFound)} unknown to SoundCharts, ${number(s.failed)} failed (retried later). `
        + `${number(s.addedToLibrary)} added to and ${number(s.removedFromLibrary)} removed from your library.`;
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

  // ---- the view: search, sort, page and playlist, kept in the URL ---------------------------

  function readView() {
    const query = new URLSearchParams(location.search);
    const offset = Number.parseInt(query.get('offset') || '0', 10);
    return {
      q: query.get('q') || '',
      sort: query.get('sort') || DEFAULT_VIEW.sort,
      order: query.get('order') || '',
      offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
      playlist: query.get('playlist') || '',
      recs: query.get('recs') || '',
    };
  }

  /** The selection as API parameters; page=false leaves out what does not change the set of tracks. */
  function viewQuery(view, { page = true } = {}) {
    const query = new URLSearchParams();
    if (view.q) {
      query.set('q', view.q);
    }
    if (view.playlist) {
      query.set('playlist', view.playlist);
    }
    if (page) {
      if (view.sort !== DEFAULT_VIEW.sort) {
        query.set('sort', view.sort);
      }
      if (view.order) {
        query.set('order', view.order);
      }
      if (view.offset) {
        query.set('offset', String(view.offset));
      }
    }
    return query;
  }

  /** The page's own URL for a view: the library's position, and the picks shown over it if any. */
  function pageUrl(view) {
    const query = viewQuery(view);
    if (view.recs) {
      query.set('recs', view.recs);
    }
    const text = query.toString();
    return text ? `/?${text}` : '/';
  }

  /**
   * Changes the view, records it in the URL (a new history entry unless replace), and reloads.
   * entry: what the history entry remembers (e.g. that picks were opened from the library).
   */
  function setView(changes, { replace = false, entry = null } = {}) {
    state.view = { ...state.view, ...changes };
    const url = pageUrl(state.view);
    if (replace) {
      history.replaceState(entry ?? history.state, '', url);
    } else {
      history.pushState(entry, '', url);
    }
    refresh();
  }

  function refresh() {
    $('search').value = state.view.q;
    $('source').value = state.view.playlist;
    showMode();
    (state.view.recs ? loadPicks() : loadPage()).catch(() => {});
    if (state.view.recs) {
      // The plots draw the picks once they arrive; a library answer still on its way is not drawn over them.
      state.featuresRequest++;
      return;
    }
    const selection = viewQuery(state.view, { page: false }).toString();
    if (state.featuresFor !== selection) {
      loadFeatures(selection).catch(() => {});
    } else if (state.features && state.plotted !== state.features) {
      // Back from picks: the library's plots again, from the features already loaded.
      drawCharts(state.features);
    }
  }

  // ---- table ---------------------------------------------------------------------------------

  async function loadPage() {
    const request = ++state.pageRequest;
    const view = state.view;
    const query = viewQuery(view);
    query.set('limit', String(PAGE_SIZE));
    $('tracks').setAttribute('aria-busy', 'true');
    $('count').textContent = 'Loading…';
    try {
      const page = await (await api(`/api/library?${query}`)).json();
      if (request !== state.pageRequest) {
        return; // a newer search or sort was asked for meanwhile
      }
      if (page.total > 0 && view.offset >= page.total) {
        // An old link past the end: show the last page instead of an empty one.
        setView({ offset: Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE }, { replace: true });
        return;
      }
      state.total = page.total;
      state.tracks = page.tracks;
      state.order = page.order;
      remember(page.tracks);
      showMessage('');
      renderTable();
    } catch (e) {
      if (request === state.pageRequest) {
        $('count').textContent = '';
        showMessage(`The library could not be loaded: ${e.message}`);
      }
      throw e;
    } finally {
      if (request === state.pageRequest) {
        $('tracks').setAttribute('aria-busy', 'false');
      }
    }
  }

  function renderTable() {
    const view = state.view;
    $('tracks').tBodies[0].replaceChildren(...state.tracks.map(row));
    $('export-csv').disabled = state.total === 0;
    $('export-json').disabled = state.total === 0;
    if (view.recs) {
      renderPicks();
      return;
    }

    const empty = $('empty');
    empty.hidden = state.tracks.length > 0;
    if (view.q) {
      empty.textContent = `No track or artist name contains "${view.q}". Check the spelling, or clear the search to see everything.`;
    } else if (view.playlist) {
      empty.textContent = 'This playlist has no tracks that could be listed (local files and podcast episodes are left out).';
    } else {
      empty.textContent = 'No tracks yet: press Sync to bring in your saved tracks from Spotify.';
    }

    $('count').textContent = view.q
      ? `${plural(state.total, 'track')} match${state.total === 1 ? 'es' : ''}`
      : plural(state.total, 'track');
    const first = state.tracks.length ? view.offset + 1 : 0;
    $('page-info').textContent = state.total ? `${number(first)}–${number(view.offset + state.tracks.length)} of ${number(state.total)}` : '';
    $('prev').disabled = view.offset === 0;
    $('next').disabled = view.offset + state.tracks.length >= state.total;

    for (const th of document.querySelectorAll('#tracks th[data-sort]')) {
      const active = th.dataset.sort === view.sort;
      th.setAttribute('aria-sort', active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none');
    }
    focusPending();
  }

  function keyName(audio) {
    if (!audio || typeof audio.key !== 'number' || audio.key < 0 || audio.key > 11) {
      return '—';
    }
    const mode = audio.mode === 1 ? ' major' : audio.mode === 0 ? ' minor' : '';
    return KEYS[audio.key] + mode;
  }

  function duration(ms) {
    if (typeof ms !== 'number') {
      return '—';
    }
    const seconds = Math.round(ms / 1000);
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  }

  function row(track) {
    const audio = track.audioFeatures || {};
    const status = (track.enrichment && track.enrichment.status) || 'pending';
    const tr = document.createElement('tr');
    tr.dataset.id = track.id;
    const name = cell(track.name || track.id, 'name');
    name.title = track.name || track.id;
    const artists = (track.artists || []).map((a) => a.name).filter(Boolean).join(', ');
    const artistCell = cell(artists || '—', 'artists');
    artistCell.title = artists;
    const badge = document.createElement('span');
    badge.className = `badge ${status}`;
    badge.textContent = status;
    if (track.enrichment && track.enrichment.lastError) {
      badge.title = track.enrichment.lastError;
    }
    const statusCell = cell('', 'col-wide');
    statusCell.append(badge);
    const label = track.name || track.id;
    // The checkbox's name starts with its visible word, so speech input ("click Mix") finds it too.
    const seed = document.createElement('input');
    seed.type = 'checkbox';
    seed.className = 'mix-seed';
    seed.value = track.id;
    // Picks are found by audio features: a track without them cannot seed any.
    seed.dataset.audio = track.audioFeatures ? 'yes' : 'no';
    seed.setAttribute('aria-label', `Mix: ${label}`);
    seed.addEventListener('change', () => toggleSeed({ id: track.id, name: label }, seed.checked));
    const seedLabel = document.createElement('label');
    seedLabel.className = 'mix-toggle';
    seedLabel.append(seed, ' Mix');
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'more-like';
    more.textContent = 'More like this';
    more.setAttribute('aria-label', `More like this: ${label}`);
    more.addEventListener('click', () => moreLike({ id: track.id, name: label }));
    if (!track.audioFeatures) {
      more.disabled = true;
      more.title = 'No audio features for this track (yet): it cannot seed picks.';
    }
    const actions = cell('', 'actions');
    actions.append(seedLabel, more);
    markSeed(seed);
    tr.append(
      name,
      artistCell,
      cell(track.addedAt ? track.addedAt.slice(0, 10) : '—', 'date col-added'),
      cell(fixed(audio.tempo, 0), 'num'),
      cell(fixed(audio.energy, 2), 'num'),
      cell(fixed(audio.danceability, 2), 'num col-wide'),
      cell(fixed(audio.valence, 2), 'num col-wide'),
      cell(keyName(track.audioFeatures), 'col-wide'),
      cell(typeof track.popularity === 'number' ? String(track.popularity) : '—', 'num col-wide'),
      cell(duration(track.duration_ms), 'num col-wide'),
      statusCell,
      actions,
    );
    return tr;
  }

  /** A header click sorts by it; a second click on the same header turns the order around. */
  function sortBy(field) {
    if (state.view.sort === field) {
      setView({ order: state.order === 'asc' ? 'desc' : 'asc', offset: 0 });
    } else {
      setView({ sort: field, order: '', offset: 0 });
    }
  }

  // ---- picks: "more like this" and the mix ----------------------------------------------------

  function remember(tracks) {
    for (const track of tracks) {
      if (track.name) {
        state.names.set(track.id, track.name);
      }
    }
  }

  /** The picks request in the view, read into its parts. */
  function picksRequest(recs) {
    const query = new URLSearchParams(recs);
    const seeds = (query.get('seed_tracks') || '').split(',').map((id) => id.trim()).filter(Boolean);
    const targets = [...query.entries()]
      .filter(([name]) => name.startsWith('target_'))
      .map(([name, value]) => ({ name: name.slice('target_'.length), value }));
    return { query, seeds, targets, scope: query.get('scope') === 'library' ? 'library' : 'all' };
  }

  /**
   * Library or picks: while picks are shown, the controls that shape the library (search, playlist,
   * sort, pages) are switched off, and the banner says what the table holds and leads back.
   */
  function showMode() {
    const picks = !!state.view.recs;
    $('picks-banner').hidden = !picks;
    $('pager').hidden = picks;
    $('search').disabled = picks;
    $('source').disabled = picks;
    for (const button of document.querySelectorAll('#tracks th[data-sort] button')) {
      button.disabled = picks;
    }
    $('export-csv').title = picks
      ? 'Download these picks as CSV, with the same columns as the library export'
      : 'Download the tracks shown (the whole library, or the search and playlist chosen) as CSV, with Exportify\'s columns';
    $('export-json').title = picks ? 'Download these picks as JSON' : 'Download the tracks shown as JSON';
    if (picks) {
      const request = picksRequest(state.view.recs);
      $('picks-scope').value = request.scope;
      renderPicksTitle(request);
      $('picks-count').textContent = 'Picking…';
      $('picks-targets').textContent = describeTargets(request.targets);
    }
  }

  function renderPicksTitle(request) {
    const names = request.seeds.map((id) => state.names.get(id) || id);
    $('picks-title').textContent = request.seeds.length === 1 && request.targets.length === 0
      ? `More like ${names[0] || 'this track'}`
      : `Mix of ${names.join(', ')}`;
  }

  function describeTargets(targets) {
    if (!targets.length) {
      return '';
    }
    const parts = targets.map(({ name, value }) => {
      const target = TARGETS[name];
      const number = Number(value);
      return target && Number.isFinite(number)
        ? `${target.label} ${number.toFixed(target.digits)}${target.unit}`
        : `${name.replace(/_/g, ' ')} ${value}`;
    });
    return `· closest to ${parts.join(', ')}`;
  }

  async function loadPicks() {
    const request = ++state.pageRequest;
    const recs = state.view.recs;
    const { seeds, scope } = picksRequest(recs);
    $('tracks').setAttribute('aria-busy', 'true');
    $('count').textContent = 'Loading…';
    try {
      const body = await (await api(`/api/recommendations?${recs}`)).json();
      if (request !== state.pageRequest) {
        return;
      }
      state.tracks = body.tracks;
      state.total = body.tracks.length;
      state.picksScope = scope;
      remember(body.tracks);
      showMessage('');
      renderTable();
      drawCharts(picksFeatures(body.tracks));
      nameSeeds(seeds, request).catch(() => {});
    } catch (e) {
      if (request === state.pageRequest) {
        // The table holds no picks; the message says why (a 400's detail names the value to fix).
        state.tracks = [];
        state.total = 0;
        $('tracks').tBodies[0].replaceChildren();
        $('empty').hidden = true;
        $('count').textContent = '';
        $('picks-count').textContent = 'No picks';
        $('export-csv').disabled = true;
        $('export-json').disabled = true;
        // Nothing to draw: the library's plots under the picks' banner would pass for the picks'.
        state.plotted = null;
        $('charts-title').textContent = 'These picks in pictures';
        $('charts-scope').textContent = '';
        $('charts').hidden = true;
        $('charts-state').textContent = 'No picks, so nothing to draw.';
        $('charts-state').hidden = false;
        showMessage(`The picks could not be loaded: ${e.message}`);
        focusPending();
      }
      throw e;
    } finally {
      if (request === state.pageRequest) {
        $('tracks').setAttribute('aria-busy', 'false');
      }
    }
  }

  /** Seeds named by no row seen yet (a link opened afresh): their names come from the server. */
  async function nameSeeds(seeds, request) {
    const unknown = seeds.filter((id) => !state.names.has(id));
    if (!unknown.length) {
      return;
    }
    await Promise.all(unknown.map(async (id) => {
      const body = await (await api(`/api/tracks/${encodeURIComponent(id)}`)).json();
      remember([body.track]);
    }));
    if (request === state.pageRequest && state.view.recs) {
      renderPicksTitle(picksRequest(state.view.recs));
    }
  }

  function renderPicks() {
    const count = state.tracks.length;
    $('count').textContent = plural(count, 'pick');
    $('picks-count').textContent = plural(count, 'pick');
    const empty = $('empty');
    empty.hidden = count > 0;
    empty.textContent = state.picksScope === 'library'
      ? 'Nothing to pick: no other track of your library has audio features that pass. Try the whole catalogue.'
      : 'Nothing to pick: no other track with audio features passes. Sync more tracks, or loosen the request.';
    for (const th of document.querySelectorAll('#tracks th[data-sort]')) {
      th.setAttribute('aria-sort', 'none');
    }
    focusPending();
  }

  function focusPending() {
    if (state.focusAfterRender) {
      $(state.focusAfterRender).focus();
      state.focusAfterRender = null;
    }
  }

  /** Opens picks over the library: one history entry, so Back (the browser's or ours) returns to it. */
  function showPicks(query) {
    state.focusAfterRender = 'picks-title';
    // From picks to other picks replaces the entry, so one step back still reaches the library.
    const replace = !!state.view.recs;
    setView({ recs: query.toString() }, { replace, entry: replace ? history.state : { picksFromLibrary: true } });
  }

  function moreLike(track) {
    state.names.set(track.id, track.name);
    showPicks(new URLSearchParams({ seed_tracks: track.id, limit: String(PICKS_LIMIT), scope: 'all' }));
  }

  function backToLibrary() {
    state.focusAfterRender = 'library-title';
    if (history.state && history.state.picksFromLibrary) {
      history.back();
    } else {
      // Opened from a link: there is no library entry behind this one to go back to.
      setView({ recs: '' });
    }
  }

  function changePicksScope() {
    const query = new URLSearchParams(state.view.recs);
    query.set('scope', $('picks-scope').value);
    setView({ recs: query.toString() }, { replace: true });
  }

  // The mix: seeds ticked in the table, targets and size from the form.

  function toggleSeed(track, on) {
    const present = state.mix.some((s) => s.id === track.id);
    if (on && !present && state.mix.length < MIX_MAX_SEEDS) {
      state.mix.push(track);
      $('mix').open = true;
    } else if (!on && present) {
      state.mix = state.mix.filter((s) => s.id !== track.id);
    }
    sessionStorage.setItem(MIX_KEY, JSON.stringify(state.mix));
    renderMix();
  }

  /** A row's checkbox: ticked for a seed; a sixth cannot be ticked, nor a track without audio features. */
  function markSeed(box) {
    const chosen = state.mix.some((s) => s.id === box.value);
    const full = !chosen && state.mix.length >= MIX_MAX_SEEDS;
    const silent = !chosen && box.dataset.audio === 'no';
    box.checked = chosen;
    box.disabled = full || silent;
    box.parentElement.title = silent ? 'No audio features for this track (yet): it cannot seed picks.'
      : full ? `A mix takes at most ${MIX_MAX_SEEDS} seeds: remove one to add this track.` : '';
  }

  function renderMix() {
    const count = state.mix.length;
    const list = $('mix-seeds');
    list.replaceChildren(...state.mix.map((seed) => {
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = seed.name || seed.id;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'chip-remove';
      remove.textContent = '×';
      remove.setAttribute('aria-label', `Remove ${seed.name || seed.id} from the mix`);
      remove.addEventListener('click', () => toggleSeed(seed, false));
      item.append(name, remove);
      return item;
    }));
    list.hidden = count === 0;
    $('mix-note').textContent = count === 0
      ? `Tick "Mix" on up to ${MIX_MAX_SEEDS} tracks in the table; their picks can lean toward the targets you set.`
      : count < MIX_MAX_SEEDS
        ? `${count} of ${MIX_MAX_SEEDS} seeds chosen; tick "Mix" on more tracks to add them.`
        : `${MIX_MAX_SEEDS} of ${MIX_MAX_SEEDS} seeds chosen: that is the most a mix takes. Remove one to add another.`;
    $('mix-summary').textContent = count === 0 ? `· pick up to ${MIX_MAX_SEEDS} seed tracks in the table` : `· ${count} of ${MIX_MAX_SEEDS} seeds`;
    $('mix-submit').disabled = count === 0;
    $('mix-clear').disabled = count === 0;
    for (const box of document.querySelectorAll('#tracks .mix-seed')) {
      markSeed(box);
    }
  }

  function submitMix(event) {
    event.preventDefault();
    if (!state.mix.length) {
      return;
    }
    const query = new URLSearchParams({ seed_tracks: state.mix.map((s) => s.id).join(',') });
    for (const input of document.querySelectorAll('#mix-form [data-target]')) {
      if (input.value.trim() !== '') {
        query.set(`target_${input.dataset.target}`, input.value.trim());
      }
    }
    query.set('limit', $('mix-limit').value.trim() || String(PICKS_LIMIT));
    query.set('scope', $('mix-scope').value);
    for (const seed of state.mix) {
      state.names.set(seed.id, seed.name);
    }
    showPicks(query);
  }

  function clearMix() {
    state.mix = [];
    sessionStorage.removeItem(MIX_KEY);
    renderMix();
  }

  // ---- playlists and export ------------------------------------------------------------------

  async function loadPlaylists() {
    try {
      const body = await (await api('/api/playlists')).json();
      const select = $('source');
      const options = [new Option('Saved tracks', '')];
      for (const p of body.playlists) {
        options.push(new Option(`${p.name || p.id} (${number(p.trackCount)})`, p.id));
      }
      select.replaceChildren(...options);
      select.value = state.view.playlist;
      select.hidden = body.playlists.length === 0 && !state.view.playlist;
    } catch {
      // The list of playlists is a convenience; the library works without it.
    }
  }

  async function download(format) {
    const button = $(`export-${format}`);
    button.disabled = true;
    const label = button.textContent;
    button.textContent = 'Preparing…';
    try {
      // While picks are shown, the buttons export the picks: the same request, as a download.
      const picks = !!state.view.recs;
      const query = new URLSearchParams(picks ? state.view.recs : viewQuery(state.view, { page: false }));
      query.set('format', format);
      const response = await api(`/api/${picks ? 'recommendations' : 'library'}/export?${query}`);
      const disposition = response.headers.get('Content-Disposition') || '';
      const match = /filename="?([^";]+)"?/.exec(disposition);
      const blob = await response.blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = match ? match[1] : `library.${format}`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (e) {
      showMessage(`The export failed: ${e.message} Try again in a moment.`);
    } finally {
      button.textContent = label;
      button.disabled = state.total === 0;
    }
  }

  // ---- plots of the whole selection, or of the picks shown -------------------------------------

  async function loadFeatures(selection) {
    const request = ++state.featuresRequest;
    const note = $('charts-state');
    note.textContent = 'Loading the audio features of every track…';
    note.hidden = false;
    try {
      const features = await (await api(`/api/library/features${selection ? `?${selection}` : ''}`)).json();
      if (request !== state.featuresRequest) {
        return;
      }
      state.features = features;
      state.featuresFor = selection;
      drawCharts(features);
    } catch (e) {
      if (request === state.featuresRequest) {
        note.textContent = `The plots could not be loaded: ${e.message} Reload the page to try again.`;
        $('charts').hidden = true;
      }
      throw e;
    }
  }

  function chartColors() {
    const style = getComputedStyle(document.documentElement);
    return {
      accent: style.getPropertyValue('--accent').trim() || '#1a7f4b',
      minor: style.getPropertyValue('--minor').trim() || '#3b6fd4',
      muted: style.getPropertyValue('--muted').trim() || '#5f6b7a',
      grid: style.getPropertyValue('--line').trim() || '#dde2e8',
    };
  }

  /**
   * The picks' rows (as /api/recommendations lists them) in the shape /api/library/features answers,
   * so the library's plots draw them; noun names what is counted.
   */
  function picksFeatures(tracks) {
    const values = (read) => tracks.map((track) => {
      const value = read(track);
      return typeof value === 'number' ? value : null;
    });
    const audio = (name) => values((track) => track.audioFeatures && track.audioFeatures[name]);
    return {
      noun: 'pick',
      total: tracks.length,
      ids: tracks.map((track) => track.id),
      names: tracks.map((track) => track.name || null),
      artists: tracks.map((track) => (track.artists || []).map((a) => a.name).filter(Boolean).join(', ') || null),
      tempo: audio('tempo'),
      energy: audio('energy'),
      danceability: audio('danceability'),
      valence: audio('valence'),
      acousticness: audio('acousticness'),
      instrumentalness: audio('instrumentalness'),
      liveness: audio('liveness'),
      speechiness: audio('speechiness'),
      loudness: audio('loudness'),
      key: audio('key'),
      mode: audio('mode'),
      popularity: values((track) => track.popularity),
      duration: values((track) => track.duration_ms),
    };
  }

  function drawCharts(f) {
    state.plotted = f;
    $('picked').hidden = true;
    const note = $('charts-state');
    const view = state.view;
    const picks = f.noun === 'pick';
    const withFeatures = f.tempo.filter((v) => v !== null).length;
    const silent = f.total - withFeatures;
    $('charts-title').textContent = picks ? 'These picks in pictures' : 'Your library in pictures';
    $('charts-scope').textContent = f.total === 0 ? ''
      : picks ? `· ${plural(f.total, 'pick')}${silent ? ` (${number(silent)} without audio values)` : ''}`
        : view.q ? `· ${plural(f.total, 'track')} matching "${view.q}"`
          : view.playlist ? `· ${plural(f.total, 'track')} of this playlist` : `· all ${plural(f.total, 'track')}`;
    if (f.total === 0 || withFeatures === 0) {
      note.textContent = picks
        ? (f.total === 0 ? 'Nothing to draw: there are no picks.' : 'Nothing to draw: none of these picks has audio values.')
        : f.total === 0
          ? (view.q ? 'Nothing to draw: no track matches the search.' : 'Nothing to draw yet: sync your library, and its tracks appear here.')
          : 'No audio features yet: they arrive as the sync enriches your tracks; press Sync, or come back in a minute.';
      note.hidden = false;
      $('charts').hidden = true;
      return;
    }
    note.hidden = true;
    $('charts').hidden = false;
    if (!window.Chart) {
      note.textContent = 'The charting script did not load; reload the page.';
      note.hidden = false;
      return;
    }
    drawScatter();
    drawTempoHistogram();
    drawKeyWheel();
  }

  function replaceChart(name, canvasId, config) {
    if (state.charts[name]) {
      state.charts[name].destroy();
    }
    config.options = { responsive: true, maintainAspectRatio: false, animation: false, ...config.options };
    state.charts[name] = new window.Chart($(canvasId), config);
  }

  function drawScatter() {
    const f = state.plotted;
    const noun = f.noun || 'track';
    const xName = $('scatter-x').value;
    const yName = $('scatter-y').value;
    const xs = f[xName];
    const ys = f[yName];
    const points = [];
    for (let i = 0; i < f.total; i++) {
      if (xs[i] !== null && ys[i] !== null) {
        points.push({ x: xs[i], y: ys[i], i });
      }
    }
    const missing = f.total - points.length;
    $('scatter-note').textContent = `${plural(points.length, noun)}${missing ? ` (${number(missing)} without both values)` : ''}`;
    const colors = chartColors();
    const axis = (name) => ({
      ...(FEATURES[name].range ? { min: FEATURES[name].range[0], max: FEATURES[name].range[1] } : { grace: '3%' }),
      title: { display: true, text: FEATURES[name].label, color: colors.muted },
      grid: { color: colors.grid },
      ticks: { color: colors.muted },
    });
    const describe = (i) => `${f.names[i] || f.ids[i]}${f.artists[i] ? ` — ${f.artists[i]}` : ''}`;
    replaceChart('scatter', 'scatter', {
      type: 'scatter',
      data: {
        datasets: [{
          data: points,
          // Small translucent dots: dense regions darken, single tracks stay visible.
          pointRadius: points.length > 3000 ? 2 : 3,
          pointHoverRadius: 6,
          pointBackgroundColor: `${colors.accent}99`,
          pointBorderWidth: 0,
          // Points on the scale's ends are drawn whole, past the frame.
          clip: 6,
        }],
      },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false, axis: 'xy' },
        scales: { x: axis(xName), y: axis(yName) },
        plugins: {
          legend: { display: false },
          tooltip: {
            displayColors: false,
            callbacks: {
              title: (items) => describe(items[0].raw.i),
              label: (item) => `${FEATURES[xName].label}: ${item.raw.x.toFixed(FEATURES[xName].digits)}, `
                + `${FEATURES[yName].label}: ${item.raw.y.toFixed(FEATURES[yName].digits)}`,
              footer: () => 'Click to open',
            },
          },
        },
        onClick: (event, elements) => {
          if (elements.length) {
            pick(points[elements[0].index].i);
          }
        },
      },
    });
  }

  /** Shows the clicked track under the plot, with its features, a way to find it in the table and a link to it in Spotify. */
  function pick(i) {
    const f = state.plotted;
    const box = $('picked');
    const title = document.createElement('strong');
    title.textContent = f.names[i] || f.ids[i];
    const by = document.createElement('span');
    by.className = 'muted';
    by.textContent = f.artists[i] ? ` · ${f.artists[i]}` : '';
    const facts = document.createElement('div');
    facts.className = 'muted num';
    facts.textContent = ['tempo', 'energy', 'valence', 'danceability']
      .filter((name) => f[name][i] !== null)
      .map((name) => `${FEATURES[name].label} ${f[name][i].toFixed(FEATURES[name].digits)}`)
      .concat(f.key[i] !== null && f.key[i] >= 0 ? [`key ${keyName({ key: f.key[i], mode: f.mode[i] })}`] : [])
      .join(' · ');
    const actions = document.createElement('div');
    const find = document.createElement('button');
    find.type = 'button';
    find.textContent = 'Find in table';
    find.addEventListener('click', () => (f.noun === 'pick' ? showRow(f.ids[i]) : setView({ q: f.names[i] || '', offset: 0 })));
    // Spotify's own URI opens the track in the Spotify app; the pages name no outside host.
    const open = document.createElement('a');
    open.className = 'button';
    open.href = `spotify:track:${encodeURIComponent(f.ids[i])}`;
    open.textContent = 'Open in Spotify';
    actions.append(find, open);
    box.replaceChildren(title, by, facts, actions);
    box.hidden = false;
  }

  /** A pick is in the table already (search is off while picks are shown): scroll to its row and focus it. */
  function showRow(id) {
    const tr = [...$('tracks').tBodies[0].rows].find((r) => r.dataset.id === id);
    if (tr) {
      tr.scrollIntoView({ block: 'center' });
      tr.querySelector('button.more-like, input.mix-seed')?.focus();
    }
  }

  function drawTempoHistogram() {
    const noun = state.plotted.noun || 'track';
    const tempos = state.plotted.tempo.filter((v) => v !== null);
    const width = 5;
    const low = Math.floor(Math.min(...tempos) / width) * width;
    const high = Math.floor(Math.max(...tempos) / width) * width;
    const counts = new Array((high - low) / width + 1).fill(0);
    for (const t of tempos) {
      counts[Math.floor(t / width) - low / width]++;
    }
    const labels = counts.map((_, b) => String(low + b * width));
    const median = [...tempos].sort((a, b) => a - b)[Math.floor(tempos.length / 2)];
    $('tempo-note').textContent = `· ${plural(tempos.length, noun)}, median ${median.toFixed(0)} BPM`;
    const colors = chartColors();
    replaceChart('tempo', 'tempo-histogram', {
      type: 'bar',
      data: { labels, datasets: [{ data: counts, backgroundColor: colors.accent, barPercentage: 1, categoryPercentage: 0.92 }] },
      options: {
        scales: {
          x: { title: { display: true, text: 'BPM', color: colors.muted }, grid: { display: false }, ticks: { color: colors.muted, maxRotation: 0, autoSkipPadding: 8 } },
          y: { title: { display: true, text: 'tracks', color: colors.muted }, grid: { color: colors.grid }, ticks: { color: colors.muted, precision: 0 } },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            displayColors: false,
            callbacks: {
              title: (items) => `${labels[items[0].dataIndex]}–${Number(labels[items[0].dataIndex]) + width} BPM`,
              label: (item) => plural(item.raw, 'track'),
            },
          },
        },
      },
    });
  }

  /** Tracks per key and mode, around the circle of fifths, each major key beside its relative minor. */
  function drawKeyWheel() {
    const f = state.plotted;
    const fifths = [0, 7, 2, 9, 4, 11, 6, 1, 8, 3, 10, 5];
    const labels = [];
    const counts = [];
    const slots = new Map();
    for (const key of fifths) {
      const minor = (key + 9) % 12;
      slots.set(`${key}:1`, labels.length);
      labels.push(KEYS[key]);
      counts.push(0);
      slots.set(`${minor}:0`, labels.length);
      labels.push(`${KEYS[minor]}m`);
      counts.push(0);
    }
    let placed = 0;
    for (let i = 0; i < f.total; i++) {
      const slot = slots.get(`${f.key[i]}:${f.mode[i]}`);
      if (slot !== undefined) {
        counts[slot]++;
        placed++;
      }
    }
    const unknown = f.total - placed;
    $('key-note').textContent = `· ${plural(placed, f.noun || 'track')}${unknown ? ` (${number(unknown)} without a detected key)` : ''}`;
    const colors = chartColors();
    replaceChart('keys', 'key-wheel', {
      type: 'polarArea',
      data: {
        labels,
        datasets: [{
          data: counts,
          backgroundColor: labels.map((l) => (l.endsWith('m') ? `${colors.minor}b3` : `${colors.accent}b3`)),
          borderColor: '#ffffff',
          borderWidth: 1,
        }],
      },
      options: {
        startAngle: -7.5,
        scales: {
          r: {
            ticks: { display: false },
            grid: { color: colors.grid },
            pointLabels: { display: true, centerPointLabels: true, color: colors.muted, font: { size: 11 } },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            displayColors: false,
            callbacks: {
              title: (items) => {
                const l = labels[items[0].dataIndex];
                return l.endsWith('m') ? `${l.slice(0, -1)} minor` : `${l} major`;
              },
              label: (item) => plural(item.raw, 'track'),
            },
          },
        },
      },
    });
  }

  function fillFeatureSelects() {
    for (const [id, chosen] of [['scatter-x', 'valence'], ['scatter-y', 'energy']]) {
      const select = $(id);
      select.replaceChildren(...Object.entries(FEATURES).map(([name, f]) => new Option(f.label, name, false, name === chosen)));
      select.addEventListener('change', () => {
        if (state.plotted && state.plotted.total) {
          drawScatter();
        }
      });
    }
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
    // The server searches the whole library; wait for a pause in typing, and keep one history entry per search.
    $('search').addEventListener('input', () => {
      clearTimeout(state.searchTimer);
      state.searchTimer = setTimeout(() => {
        const q = $('search').value.trim();
        if (q !== state.view.q) {
          setView({ q, offset: 0 }, { replace: true });
        }
      }, SEARCH_DELAY_MS);
    });
    $('source').addEventListener('change', () => setView({ playlist: $('source').value, offset: 0 }));
    for (const th of document.querySelectorAll('#tracks th[data-sort]')) {
      th.querySelector('button').addEventListener('click', () => sortBy(th.dataset.sort));
    }
    $('prev').addEventListener('click', () => setView({ offset: Math.max(0, state.view.offset - PAGE_SIZE) }));
    $('next').addEventListener('click', () => setView({ offset: state.view.offset + PAGE_SIZE }));
    $('export-csv').addEventListener('click', () => download('csv'));
    $('export-json').addEventListener('click', () => download('json'));
    $('picks-back').addEventListener('click', backToLibrary);
    $('picks-scope').addEventListener('change', changePicksScope);
    $('mix-form').addEventListener('submit', submitMix);
    $('mix-clear').addEventListener('click', clearMix);
    renderMix();
    fillFeatureSelects();
    window.addEventListener('popstate', () => {
      state.view = readView();
      if (state.token) {
        refresh();
      }
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
    state.view = readView();
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
