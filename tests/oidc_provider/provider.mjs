// A real OpenID Connect provider for the single sign-on tests: the certified `oidc-provider`
// package, with a login page of its own, so the portal's browser journeys sign in exactly as
// staff do with Microsoft 365 or Google Workspace (discovery, authorisation code with PKCE,
// token endpoint, signed ID token, userinfo).
//
// Started by tests/people/conftest.py. Listens on a free port of 127.0.0.1 and prints one line,
// "ISSUER http://127.0.0.1:<port>", once it is ready.
//
// Environment:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET  the portal's client registration
//   OIDC_REDIRECT_URIS                  comma-separated callback addresses of the portal
//   OIDC_PASSWORD                       the one password every test account signs in with
//   OIDC_PORT                           a fixed port (default: any free one)
//
// Accounts: any email address signs in. The name comes from the address ("jo.bloggs@..." is
// Jo Bloggs); an address starting "unverified." has an unverified email; ticking "I used a
// second factor" puts "mfa" in the ID token's `amr` claim.

import http from 'node:http';

import Provider from 'oidc-provider';

const clientId = process.env.OIDC_CLIENT_ID || 'redbridge-portal';
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'redbridge-portal-test-secret';
const redirectUris = (process.env.OIDC_REDIRECT_URIS || '').split(',').filter(Boolean);
const password = process.env.OIDC_PASSWORD || 'correct-horse-battery-staple';

function titleCase(word) {
  return word ? word[0].toUpperCase() + word.slice(1) : '';
}

function accountClaims(accountId) {
  const local = accountId.split('@')[0].replace(/^unverified\./, '');
  const [given, ...rest] = local.split('.');
  return {
    sub: accountId,
    email: accountId,
    email_verified: !accountId.startsWith('unverified.'),
    given_name: titleCase(given),
    family_name: rest.map(titleCase).join(' '),
    name: [titleCase(given), ...rest.map(titleCase)].join(' '),
  };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(uid, { email = '', error = '' } = {}) {
  return `<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Test identity provider: sign in</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1>Test identity provider</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<p><label for="email">Email</label><br><input id="email" name="email" type="email" value="${escapeHtml(email)}" required></p>
<p><label for="password">Password</label><br><input id="password" name="password" type="password" required></p>
<p><input id="mfa" name="mfa" type="checkbox" value="yes"> <label for="mfa">I used a second factor</label></p>
<p><button type="submit">Continue</button></p>
</form>
</main></body></html>`;
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res, status, html) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

let provider;

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, 400, 'This sign-in has expired. Start again from the portal.');
    return;
  }
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    if (req.method === 'GET' && !action) {
      send(res, 200, loginPage(uid));
      return;
    }
    if (req.method === 'POST' && action === 'login') {
      const form = await readForm(req);
      const email = (form.get('email') || '').trim().toLowerCase();
      if (!email.includes('@') || form.get('password') !== password) {
        send(res, 200, loginPage(uid, { email, error: 'Wrong email address or password.' }));
        return;
      }
      const amr = form.get('mfa') === 'yes' ? ['pwd', 'mfa'] : ['pwd'];
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: email, amr } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
  }
  if (prompt.name === 'consent') {
    // The school's own provider: the portal is trusted, so consent is given without asking.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) {
      grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    }
    if (prompt.details.missingOIDCClaims) {
      grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    }
    const grantId = await grant.save();
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
    return;
  }
  send(res, 400, `Unexpected step: ${escapeHtml(prompt.name)}`);
}

const server = http.createServer(async (req, res) => {
  const match = /^\/interaction\/([\w-]+)(?:\/(\w+))?\/?$/.exec(req.url.split('?')[0]);
  if (!match) {
    provider.callback()(req, res);
    return;
  }
  try {
    await interaction(req, res, match[1], match[2]);
  } catch (error) {
    send(res, 400, `Sign-in failed: ${escapeHtml(error.message)}`);
  }
});

server.listen(Number(process.env.OIDC_PORT || 0), '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: {
      // `amr` (how the person signed in) goes into the ID token with the openid scope.
      openid: ['sub', 'amr'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    cookies: { keys: ['redbridge-test-provider-only'] },
    features: { devInteractions: { enabled: false } },
    findAccount: async (ctx, accountId) => ({
      accountId,
      claims: async () => accountClaims(accountId),
    }),
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
  });
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  console.log(`ISSUER ${issuer}`);
});
