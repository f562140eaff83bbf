// The API key lives in this tab's sessionStorage only: it is gone when the tab closes, is never put in a URL, and
// is sent only in the authorization header of requests to this origin.
const storageKey = 'factcheck.console.apiKey';

export const apiKey = () => sessionStorage.getItem(storageKey);
export const signIn = key => sessionStorage.setItem(storageKey, key);
export const signOut = () => sessionStorage.removeItem(storageKey);
