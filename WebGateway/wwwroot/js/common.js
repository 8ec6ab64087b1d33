// Helpers both pages share: element lookup, the message box, and calls to our API that turn a
// problem+json answer into its readable detail.
'use strict';

window.TrackGrainsPage = (() => {
  const $ = (id) => document.getElementById(id);

  function showMessage(text, kind = 'error') {
    const box = $('message');
    box.textContent = text || '';
    box.className = `message ${kind}`;
    box.hidden = !text;
  }

  async function problemText(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || `${response.status} ${response.statusText}`;
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  /**
   * Calls our API with a bearer token. On an error answer it calls onRejected(status) for 401/403 (the
   * page decides what a lost token means) and throws the problem's detail.
   */
  async function call(path, token, options = {}, onRejected = () => {}) {
    const headers = new Headers(options.headers || {});
    headers.set('Authorization', `Bearer ${token}`);
    const response = await fetch(path, { ...options, headers });
    if (!response.ok) {
      const text = await problemText(response);
      if (response.status === 401 || response.status === 403) {
        onRejected(response.status);
      }
      throw new Error(text);
    }
    return response;
  }

  /** A table cell with text (never HTML) and an optional class. */
  function cell(text, className) {
    const td = document.createElement('td');
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    return td;
  }

  return { $, showMessage, problemText, call, cell };
})();
