import { ApiError, callApi, tokenStore } from './api-client.js';
import type { Identity } from './api-types.js';

/**
 * The token entry screen. A token is kept only once the server accepted it (GET /api/whoami),
 * and only in sessionStorage; the field is a password field, so it is not shown or remembered.
 */
export function showTokenScreen(signedIn: (who: Identity) => void, message = ''): void {
  const screen = document.getElementById('token-screen')!;
  const form = document.getElementById('token-form') as HTMLFormElement;
  const input = document.getElementById('token-input') as HTMLInputElement;
  const error = document.getElementById('token-error')!;
  document.getElementById('dashboard')!.hidden = true;
  screen.hidden = false;
  error.textContent = message;
  input.value = '';
  input.setAttribute('aria-invalid', message === '' ? 'false' : 'true');
  input.focus();
  form.onsubmit = async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (token === '') {
      error.textContent = 'Enter a token.';
      return;
    }
    tokenStore.set(token);
    input.value = '';
    try {
      const who = await callApi<Identity>('/api/whoami');
      screen.hidden = true;
      signedIn(who);
    } catch (err) {
      tokenStore.clear();
      const why =
        err instanceof ApiError && err.status === 401 ? 'The server does not know this token.' : String(err);
      showTokenScreen(signedIn, why);
    }
  };
}

/** Signs in again with the token of this tab's session, if it is still accepted. */
export async function resumeSession(): Promise<Identity | null> {
  if (tokenStore.get() === null) return null;
  try {
    return await callApi<Identity>('/api/whoami');
  } catch {
    tokenStore.clear();
    return null;
  }
}
