import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server for tests (the `smtp-server` package) that records what it accepted and can refuse on
 * demand. Not used by the application.
 */
export type ReceivedMail = { from: string; to: string[]; raw: string; subject: string; messageId: string };
/** What to answer for the next message: accept, or refuse at RCPT / DATA with an SMTP code. */
export type SmtpAnswer = { accept: true } | { accept: false; at: 'rcpt' | 'data'; code: number; message?: string };

export type TestSmtp = {
  port: number;
  url: string;
  received: ReceivedMail[];
  /** Decides per message (called once at RCPT for the first recipient, once at DATA). Default: accept. */
  answer: (stage: 'rcpt' | 'data') => SmtpAnswer;
  /** Delay before accepting DATA (to widen race windows). */
  delayMs: number;
  stop: () => Promise<void>;
  /** Listens again on the same port after stop(). */
  start: () => Promise<void>;
};

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=) in an unfolded header value. */
export function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?') // whitespace between adjacent encoded words is not part of the text
    .replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

export function headerOf(raw: string, name: string): string {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? decodeHeader(line.slice(name.length + 1).trim()) : '';
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startTestSmtp(): Promise<TestSmtp> {
  let server: SMTPServer | null = null;
  const state: TestSmtp = {
    port: 0,
    url: '',
    received: [],
    answer: () => ({ accept: true }),
    delayMs: 0,
    stop: async () => {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    start: async () => {
      const s = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(_address, session, callback) {
          if (session.envelope.rcptTo.length === 0) {
            const a = state.answer('rcpt');
            if (!a.accept && a.at === 'rcpt') return callback(smtpError(a.code, a.message ?? 'Refused by the test server'));
          }
          callback();
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const finish = () => {
              const a = state.answer('data');
              if (!a.accept && a.at === 'data') return callback(smtpError(a.code, a.message ?? 'Refused by the test server'));
              const raw = Buffer.concat(chunks).toString('utf8');
              state.received.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((r) => r.address),
                raw,
                subject: headerOf(raw, 'Subject'),
                messageId: headerOf(raw, 'Message-ID'),
              });
              callback();
            };
            if (state.delayMs > 0) setTimeout(finish, state.delayMs);
            else finish();
          });
        },
      });
      s.on('error', () => {}); // client disconnects in tests are expected
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject);
        s.listen(state.port, '127.0.0.1', () => resolve());
      });
      server = s;
      state.port = (s.server.address() as AddressInfo).port;
      state.url = `smtp://127.0.0.1:${state.port}`;
    },
  };
  await state.start();
  return state;
}
