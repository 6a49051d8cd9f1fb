// Starting points for the Compose tab: the messages the course types by hand, to be sent into a
// terminal session that is already connected to the right server.

export interface ComposeExample {
  id: string;
  title: string;
  /** What to open in the terminal first. */
  connectHint: string;
  text: string;
}

export const COMPOSE_EXAMPLES: readonly ComposeExample[] = [
  {
    id: 'echo-lines',
    title: 'Echo: a few lines',
    connectHint: 'open gaia.cs.umass.edu 7',
    text: ['hello', 'is this thing on?', 'every line comes back unchanged', ''].join('\n'),
  },
  {
    id: 'http-get',
    title: 'HTTP: GET a page',
    connectHint: 'open gaia.cs.umass.edu 80',
    text: ['GET /index.html HTTP/1.1', 'Host: gaia.cs.umass.edu', 'User-Agent: protolab-compose', 'Accept: text/html', 'Connection: close', '', ''].join('\n'),
  },
  {
    id: 'smtp-dialogue',
    title: 'SMTP: send a short mail',
    connectHint: 'open hamburger.edu 25',
    text: [
      'HELO crepes.fr',
      'MAIL FROM:<alice@crepes.fr>',
      'RCPT TO:<bob@hamburger.edu>',
      'DATA',
      'From: alice@crepes.fr',
      'To: bob@hamburger.edu',
      'Subject: ketchup',
      '',
      'Do you like ketchup?',
      'How about pickles?',
      '.',
      'QUIT',
      '',
    ].join('\n'),
  },
];
