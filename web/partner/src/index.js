// The bundle served as /static/partner.js: the protocol, the client that
// runs it against the server's partner API, and the Partner page.
export * from './protocol.js';
export { Partner, HttpError } from './client.js';
import { mount } from './page.js';

if (typeof document !== 'undefined') {
  const root = document.getElementById('partner-app');
  if (root) mount(root);
}
