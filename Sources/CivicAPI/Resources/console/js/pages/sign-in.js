// Sign-in: the person chooses their key file (PEM), and optionally their identity certificate. The key is read in
// this page and used to answer the node's challenge; it is never sent anywhere, and it is forgotten on reload.
import { addStrings, t } from '../i18n.js';
import { button, errorNotice, field, h, heading, notice, readFile, replace } from '../dom.js';
import { signIn, who } from '../session.js';

addStrings({
  en: {
    'signIn.title': 'Sign in with your identity',
    'signIn.intro': 'Choose the private key your organization issued to you (a PEM file). It is read in this page only: the node receives a signature, never the key. Reloading the page signs you out.',
    'signIn.key': 'Private key (PEM file)', 'signIn.keyText': 'Or paste the key', 'signIn.certificate': 'Identity certificate (PEM, optional)',
    'signIn.certificateHint': 'If you have one, the console checks that it certifies the key.',
    'signIn.submit': 'Sign in', 'signIn.working': 'Checking your key…', 'signIn.done': 'Signed in as {name} of {organization}.',
    'signIn.already': 'You are signed in as {name} of {organization}.', 'signIn.noKey': 'Choose a key file or paste a key.',
  },
  zh: {
    'signIn.title': '以身份登录',
    'signIn.intro': '请选择所在单位为您签发的私钥（PEM 文件）。私钥只在本页面内读取：节点只收到签名，从不收到私钥。刷新页面即退出登录。',
    'signIn.key': '私钥（PEM 文件）', 'signIn.keyText': '或粘贴私钥', 'signIn.certificate': '身份证书（PEM，可选）',
    'signIn.certificateHint': '如有证书，控制台会核对证书与私钥是否匹配。',
    'signIn.submit': '登录', 'signIn.working': '正在核验私钥…', 'signIn.done': '已登录：{organization} 的 {name}。',
    'signIn.already': '您已登录：{organization} 的 {name}。', 'signIn.noKey': '请选择私钥文件或粘贴私钥。',
  },
});

/** Registers `#/sign-in`. */
export function register(app) {
  app.route('/sign-in', 'sign-in', ({ query }) => {
    const person = who();
    const status = h('div', { class: 'form-status', attrs: { 'aria-live': 'polite' } });
    const keyFile = h('input', { type: 'file', name: 'key', accept: '.pem,.key,text/plain' });
    const keyText = h('textarea', { name: 'key_text', rows: 4, spellcheck: false, autocomplete: 'off', class: 'mono' });
    const certificateFile = h('input', { type: 'file', name: 'certificate', accept: '.pem,.crt,.cer,text/plain' });
    const form = h('form', { class: 'card form', dataset: { testid: 'sign-in-form' } },
      field(t('signIn.key'), keyFile),
      field(t('signIn.keyText'), keyText),
      field(t('signIn.certificate'), certificateFile, t('signIn.certificateHint')),
      button(t('signIn.submit'), null, { type: 'submit', testid: 'sign-in-submit' }),
      status);
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const decoder = new TextDecoder();
      const keyPEM = keyFile.files[0] ? decoder.decode(await readFile(keyFile.files[0])) : keyText.value;
      const certificatePEM = certificateFile.files[0] ? decoder.decode(await readFile(certificateFile.files[0])) : '';
      if (!keyPEM.trim()) { replace(status, notice(t('signIn.noKey'), 'bad')); return; }
      replace(status, notice(t('signIn.working')));
      try {
        const session = await signIn(keyPEM, certificatePEM);
        keyText.value = '';
        replace(status, notice(t('signIn.done', session), 'ok'));
        app.go(query.next && query.next.startsWith('/') ? query.next : '/');
      } catch (error) {
        replace(status, errorNotice(error));
      }
    });
    return [heading(t('signIn.title'), t('signIn.intro')),
      person ? notice(t('signIn.already', person), 'ok') : null, form];
  });
}
