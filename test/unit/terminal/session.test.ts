import { afterEach, describe, expect, test } from 'vitest';
import { MAX_LINE_LENGTH } from '../../../src/main/lab/terminal/line-editor';
import { FOREIGN_CLOSE_EXPLANATION, FOREIGN_CLOSE_MESSAGE, TerminalSession, TYPE_AHEAD_LIMIT } from '../../../src/main/lab/terminal/session';
import { builtinCommands } from '../../../src/main/lab/terminal/commands/index';
import { CommandTable, PROMPT, WELCOME_BANNER } from '../../../src/main/lab/terminal/shell';
import { UsageError, type ShellCommand } from '../../../src/main/lab/terminal/shell-command';
import { FakeConnector, FAKE_WORLD } from './support/fake-connector';
import { Screen } from './support/screen';

const UP = '\x1b[A';
const LEFT = '\x1b[D';
const BELL = '\x07';

interface Started {
  session: TerminalSession;
  screen: Screen;
  connector: FakeConnector;
  writes: string[];
  type(data: string): void;
  /** Everything written since the session started, as one string. */
  output(): string;
}

const started: Started[] = [];
afterEach(() => {
  for (const s of started.splice(0)) {
    s.session.dispose();
    s.screen.dispose();
  }
});

function start(options: { cols?: number; rows?: number; connector?: FakeConnector; commands?: ShellCommand[] } = {}): Started {
  const cols = options.cols ?? 100;
  const rows = options.rows ?? 30;
  const screen = new Screen(cols, rows);
  const connector = options.connector ?? new FakeConnector();
  const writes: string[] = [];
  const session = new TerminalSession(
    {
      cols,
      rows,
      connector,
      write: (data) => {
        writes.push(data);
        screen.write(data);
      },
    },
    options.commands,
  );
  const s: Started = {
    session,
    screen,
    connector,
    writes,
    type: (data) => session.input(data),
    output: () => writes.join(''),
  };
  started.push(s);
  return s;
}

/** Lets the fake connector's promises and the session's follow-ups run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Screen rows after the banner. */
async function afterBanner(s: Started): Promise<string[]> {
  return (await s.screen.rows()).slice(WELCOME_BANNER.length);
}

async function connect(s: Started, line = 'open gaia.cs.umass.edu 7'): Promise<void> {
  s.type(line + '\r');
  await settle();
}

describe('start', () => {
  test('a short welcome banner, then the prompt with the cursor after it', async () => {
    const s = start();
    const rows = await s.screen.rows();
    expect(WELCOME_BANNER.length).toBeLessThanOrEqual(3);
    expect(rows).toEqual([...WELCOME_BANNER, 'protolab>']);
    expect(rows.join('\n')).toContain('hosts');
    expect(rows.join('\n')).toContain('open gaia.cs.umass.edu 7');
    expect(await s.screen.cursor()).toEqual({ row: WELCOME_BANNER.length, col: PROMPT.length });
  });

  test('on a narrower terminal the banner breaks between words, not inside one', async () => {
    const s = start({ cols: 76 });
    expect(await s.screen.rows()).toEqual([
      'Protolab terminal: a telnet-style client for the servers this lab runs on',
      'your machine.',
      "Type 'hosts' to see the lab world, or try: open gaia.cs.umass.edu 7",
      "Type 'help' for every command.",
      'protolab>',
    ]);
    expect(await s.screen.softWrappedRows()).toEqual([]);
  });
});

describe('the prompt', () => {
  test('an empty line gives a new prompt', async () => {
    const s = start();
    s.type('\r   \r');
    expect(await afterBanner(s)).toEqual(['protolab>', 'protolab>', 'protolab>']);
  });

  test('an unknown command says so and points to help', async () => {
    const s = start();
    s.type('frobnicate now\r');
    expect(await afterBanner(s)).toEqual(['protolab> frobnicate now', "unknown command 'frobnicate' — type 'help'", 'protolab>']);
  });

  test('command names are matched without regard to case', async () => {
    const s = start();
    s.type('HoStS\r');
    expect(s.output()).toContain('gaia.cs.umass.edu');
  });

  test('a line with an unterminated quote is a syntax error', async () => {
    const s = start();
    s.type('open "gaia 7\r');
    expect(await afterBanner(s)).toEqual(['protolab> open "gaia 7', 'syntax error: unterminated double quote (")', 'protolab>']);
  });

  test('Ctrl-C cancels the line and gives a new prompt', async () => {
    const s = start();
    s.type('hos\x03');
    expect(await afterBanner(s)).toEqual(['protolab> hos^C', 'protolab>']);
  });

  test('Ctrl-D and Ctrl-] at the prompt only ring the bell', async () => {
    const s = start();
    const before = s.writes.length;
    s.type('\x04\x1d');
    expect(s.writes.slice(before)).toEqual([BELL, BELL]);
  });

  test('Up recalls earlier commands', async () => {
    const s = start();
    s.type('help\rhosts\r' + UP);
    expect(await s.screen.cursorRow()).toBe('protolab> hosts');
  });

  test('Ctrl-L clears the screen and keeps the line being typed', async () => {
    const s = start();
    s.type('hosts\rhel\x0c');
    expect(await s.screen.rows()).toEqual(['protolab> hel']);
    s.type('p\r');
    expect((await s.screen.rows())[1]).toBe('Commands:');
  });
});

describe('help', () => {
  test('lists every command with its usage and one-line summary, then the keys', async () => {
    const s = start();
    s.type('help\r');
    const rows = await afterBanner(s);
    expect(rows[1]).toBe('Commands:');
    for (const command of builtinCommands()) {
      const row = rows.find((r) => r.startsWith(`  ${command.usage} `));
      expect(row, command.name).toBeDefined();
      expect(row).toContain(command.summary);
    }
    expect(rows.find((r) => r.includes('open HOST PORT'))).toContain('(also: telnet)');
    expect(rows).toContain('While connected:');
    expect(rows.find((r) => r.startsWith('  Ctrl-] '))).toMatch(/^ {2}Ctrl-\] +close the connection$/);
    expect(rows.at(-1)).toBe('protolab>');
  });

  test('on a narrower terminal each summary wraps in its own column, and the three lists line up', async () => {
    const s = start({ cols: 60, rows: 40 });
    s.type('help\r');
    const rows = await s.screen.rows();
    const at = rows.indexOf('  hosts           list the hosts of the lab world with their');
    expect(at).toBeGreaterThan(0);
    expect(rows[at + 1]).toBe('                  addresses and services');
    expect(rows).toContain('  Ctrl-]          close the connection');
    expect(await s.screen.softWrappedRows()).toEqual([]);
  });

  test('on a very narrow terminal each summary goes under its command', async () => {
    const s = start({ cols: 30 });
    s.type('help\r');
    const rows = (await s.screen.text()).split('\n');
    const at = rows.indexOf('  hosts');
    expect(rows.slice(at, at + 3)).toEqual(['  hosts', '    list the hosts of the lab', '    world with their addresses']);
    expect(await s.screen.softWrappedRows()).toEqual([]);
  });

  test('after a resize, help wraps to the new width', async () => {
    const s = start({ cols: 100 });
    await s.screen.resize(44, 30);
    s.session.resize(44, 30);
    // clear first: the terminal reflows the banner written at the old width, which is not the shell's doing.
    s.type('clear\rhelp\r');
    const rows = (await s.screen.text()).split('\n');
    expect(rows).toContain('  hosts           list the hosts of the lab');
    expect(rows).toContain('                  world with their addresses');
    expect(await s.screen.softWrappedRows()).toEqual([]);
  });

  test('help COMMAND shows its usage, by name or alias', async () => {
    const s = start();
    s.type('help telnet\r');
    expect((await afterBanner(s)).slice(1, 3)).toEqual([
      'usage: open HOST PORT (also: telnet)',
      '  connect to a lab server and type to it (like telnet)',
    ]);
  });

  test('help for a command that does not exist, and with too many names', async () => {
    const s = start();
    s.type('help nope\rhelp a b\r');
    expect((await afterBanner(s)).slice(1)).toEqual([
      "help: no command 'nope' — type 'help' for the list",
      'usage: help [COMMAND]',
      'protolab> help a b',
      'help: give at most one command name',
      'usage: help [COMMAND]',
      'protolab>',
    ]);
  });
});

describe('hosts', () => {
  test('lists each world host with its address and services, real lab ports included', async () => {
    const s = start();
    s.type('hosts\r');
    expect((await afterBanner(s)).slice(1)).toEqual([
      'You are cis.poly.edu (128.238.2.93); captures show your connections coming from there.',
      'HOST               ADDRESS         SERVICES',
      'gaia.cs.umass.edu  128.119.245.12  echo 7/tcp (lab port 10007)',
      '                                   http 80/tcp (lab port 10080)',
      'dns.umass.edu      128.119.40.186  dns 53/udp (lab port 10053)',
      '  also known as: ns1.umass.edu',
      'Connect with: open HOST PORT, e.g. open gaia.cs.umass.edu 7',
      'protolab>',
    ]);
  });

  test('a service that is not running says so beside its lab port', async () => {
    const s = start();
    s.connector.states.set('gaia.cs.umass.edu/80', 'stopped');
    s.connector.states.set('gaia.cs.umass.edu/7', 'failed');
    s.type('hosts\r');
    const rows = await s.screen.rows();
    expect(rows).toContain('gaia.cs.umass.edu  128.119.245.12  echo 7/tcp (lab port 10007, failed)');
    expect(rows).toContain('                                   http 80/tcp (lab port 10080, stopped)');
  });

  test('a service too long for its column wraps inside the column', async () => {
    const s = start({ cols: 56 });
    s.connector.states.set('gaia.cs.umass.edu/80', 'stopped');
    s.type('hosts\r');
    const rows = await s.screen.rows();
    const at = rows.indexOf('                                   http 80/tcp (lab port');
    expect(rows[at + 1]).toBe('                                   10080, stopped)');
    expect(await s.screen.softWrappedRows()).toEqual([]);
  });

  test('on a narrow terminal each host lists its services under it', async () => {
    const s = start({ cols: 40 });
    s.type('hosts\r');
    const rows = await s.screen.rows();
    const at = rows.indexOf('gaia.cs.umass.edu  128.119.245.12');
    expect(rows.slice(at, at + 6)).toEqual([
      'gaia.cs.umass.edu  128.119.245.12',
      '  echo 7/tcp (lab port 10007)',
      '  http 80/tcp (lab port 10080)',
      'dns.umass.edu  128.119.40.186',
      '  dns 53/udp (lab port 10053)',
      '  also known as: ns1.umass.edu',
    ]);
    expect(rows).not.toContain('HOST');
    expect(await s.screen.softWrappedRows()).toEqual([]);
  });

  test('an empty world says so, after who the student is', async () => {
    const s = start({ connector: new FakeConnector([]) });
    s.type('hosts\r');
    expect((await afterBanner(s)).slice(1)).toEqual([
      'You are cis.poly.edu (128.238.2.93); captures show your connections coming from there.',
      'The lab world has no hosts yet.',
      'protolab>',
    ]);
  });

  test('hosts takes no arguments', async () => {
    const s = start();
    s.type('hosts all\r');
    expect((await afterBanner(s)).slice(1, 3)).toEqual(['hosts: takes no arguments', 'usage: hosts']);
  });
});

describe('clear and close', () => {
  test('clear empties the screen and the scrollback', async () => {
    const s = start();
    s.type('hosts\rclear\r');
    expect(s.output()).toContain('\x1b[H\x1b[2J\x1b[3J');
    expect(await s.screen.rows()).toEqual(['protolab>']);
    expect(await s.screen.cursor()).toEqual({ row: 0, col: PROMPT.length });
  });

  test('clear takes no arguments', async () => {
    const s = start();
    s.type('clear screen\r');
    expect((await afterBanner(s))[1]).toBe('clear: takes no arguments');
  });

  test('close at the prompt explains that no connection is open and how to close one', async () => {
    const s = start();
    s.type('close\r');
    const rows = await afterBanner(s);
    expect(rows[1]).toContain('close: no connection is open');
    expect(rows.join(' ')).toContain('Ctrl-]');
  });
});

describe('open', () => {
  test('reports like telnet, says where the lab really connects, and enters connected mode', async () => {
    const s = start();
    await connect(s);
    expect((await afterBanner(s)).slice(1)).toEqual([
      'Trying 128.119.245.12...',
      'Connected to gaia.cs.umass.edu (128.119.245.12).',
      "(lab: 127.0.0.1:10007 is where gaia.cs.umass.edu's echo service really listens)",
      "Escape character is '^]'.",
    ]);
    expect(await s.screen.cursor()).toEqual({ row: WELCOME_BANNER.length + 5, col: 0 });
    expect(s.connector.last.target).toMatchObject({ address: '127.0.0.1', port: 10007 });
  });

  test('telnet is an alias, and a world address works as well as a name', async () => {
    const s = start();
    await connect(s, 'telnet 128.119.245.12 80');
    const rows = await afterBanner(s);
    expect(rows).toContain('Connected to gaia.cs.umass.edu (128.119.245.12).');
    expect(rows).toContain("(lab: 127.0.0.1:10080 is where gaia.cs.umass.edu's http service really listens)");
  });

  test("a lab service's real loopback port connects to it, and the lab line says whose port it is", async () => {
    const s = start();
    await connect(s, 'open 127.0.0.1 10007');
    expect((await afterBanner(s)).slice(1)).toEqual([
      'Trying 128.119.245.12...',
      'Connected to gaia.cs.umass.edu (128.119.245.12).',
      "(lab: 127.0.0.1:10007 is where gaia.cs.umass.edu's echo service (port 7) really listens)",
      "Escape character is '^]'.",
    ]);
  });

  test('a loopback address and real port connects there, with no lab line', async () => {
    const s = start();
    await connect(s, 'open 127.0.0.1 4321');
    expect((await afterBanner(s)).slice(1)).toEqual(['Trying 127.0.0.1...', 'Connected to 127.0.0.1.', "Escape character is '^]'."]);
  });

  test('a world port with no service still names where it goes', async () => {
    const s = start();
    await connect(s, 'open gaia.cs.umass.edu 25');
    expect(await afterBanner(s)).toContain('(lab: really 127.0.0.1:20025, where no lab service runs)');
  });

  test.each(['cis.poly.edu', 'CIS.poly.edu.', '128.238.2.93'])('%s is the student: open says so rather than "unknown host"', async (host) => {
    const s = start({ cols: 160 });
    await connect(s, `open ${host} 7`);
    expect((await afterBanner(s)).slice(1)).toEqual([
      "open: cis.poly.edu (128.238.2.93) is you: your own machine in this lab world; it runs no lab servers — try 'hosts'",
      'protolab>',
    ]);
  });

  test('an unknown host says so and suggests hosts', async () => {
    const s = start();
    await connect(s, 'open foo 7');
    expect((await afterBanner(s)).slice(1)).toEqual(["open: unknown host 'foo' — try 'hosts'", 'protolab>']);
    expect(s.connector.connections).toEqual([]);
  });

  test('a resolver failure other than an unknown name is shown with its message', async () => {
    const s = start();
    await connect(s, 'open resolver.fails 7');
    expect((await afterBanner(s)).slice(1)).toEqual(["open: cannot resolve 'resolver.fails': the world file is not loaded", 'protolab>']);
  });

  test('connection refused by a stopped service says which one and where to start it', async () => {
    const s = start();
    s.connector.refusedPorts.add(10007);
    s.connector.states.set('gaia.cs.umass.edu/7', 'stopped');
    await connect(s);
    expect((await afterBanner(s)).slice(1)).toEqual([
      'Trying 128.119.245.12...',
      'Unable to connect to remote host: Connection refused',
      '(the echo service of gaia.cs.umass.edu is stopped; start it in the Servers pane)',
      'protolab>',
    ]);
  });

  test.each([
    ['a port the host serves nothing on', 'open gaia.cs.umass.edu 25', 20025, undefined, "(gaia.cs.umass.edu runs no service on port 25 in this lab; type 'hosts' to see what it runs)"],
    ['a world address, too', 'open 128.119.245.12 25', 20025, undefined, "(gaia.cs.umass.edu runs no service on port 25 in this lab; type 'hosts' to see what it runs)"],
    ['a port served over UDP only', 'open ns1.umass.edu 53', 20053, undefined, "(dns.umass.edu runs dns on port 53 over UDP only, and open speaks TCP; type 'hosts' to see what it runs)"],
    ["a stopped service's real port", 'open 127.0.0.1 10007', 10007, 'stopped', '(the echo service of gaia.cs.umass.edu is stopped; start it in the Servers pane)'],
    ['a service that failed to start', 'open gaia.cs.umass.edu 80', 10080, 'failed', '(the http service of gaia.cs.umass.edu could not start; the Servers pane says why)'],
    ['a service still starting', 'open gaia.cs.umass.edu 80', 10080, 'starting', '(the http service of gaia.cs.umass.edu is still starting; try again in a moment)'],
    ['a service said to listen', 'open gaia.cs.umass.edu 80', 10080, 'listening', '(nothing listens on 127.0.0.1:10080, where the http service of gaia.cs.umass.edu should be; see the Servers pane)'],
    ['a loopback port that is none of the lab\'s', 'open 127.0.0.1 4321', 4321, undefined, "(nothing listens on 127.0.0.1:4321; it is none of the lab's ports, which 'hosts' lists)"],
  ] as const)('connection refused at %s: the hint says why in lab terms', async (_case, line, realPort, state, hint) => {
    const s = start({ cols: 160 });
    s.connector.refusedPorts.add(realPort);
    const port = Number(line.split(' ')[2]);
    if (state) s.connector.states.set(`gaia.cs.umass.edu/${port === realPort ? 7 : port}`, state);
    await connect(s, line);
    const rows = (await afterBanner(s)).slice(1);
    expect(rows.slice(1)).toEqual(['Unable to connect to remote host: Connection refused', hint, 'protolab>']);
    expect(rows.join('\n')).not.toContain('may be');
  });

  test('open with a host and no port asks for the port, with an example the student can type', async () => {
    const s = start();
    await connect(s, 'open gaia.cs.umass.edu');
    await connect(s, 'open 128.119.245.12');
    await connect(s, 'open dns.umass.edu');
    const rows = await afterBanner(s);
    expect(rows).toEqual([
      'protolab> open gaia.cs.umass.edu',
      "open: which port? e.g. open gaia.cs.umass.edu 7 (echo) — 'hosts' lists the ports",
      'protolab> open 128.119.245.12',
      "open: which port? e.g. open 128.119.245.12 7 (echo) — 'hosts' lists the ports",
      'protolab> open dns.umass.edu',
      // dns.umass.edu has no TCP service: the example is one that works.
      "open: which port? e.g. open gaia.cs.umass.edu 7 (echo) — 'hosts' lists the ports",
      'protolab>',
    ]);
    expect(s.connector.connections).toEqual([]);
  });

  test('in an empty world, open with no port still asks for one', async () => {
    const s = start({ connector: new FakeConnector([]) });
    await connect(s, 'open somewhere');
    expect((await afterBanner(s)).slice(1)).toEqual(["open: which port? 'hosts' lists the ports", 'protolab>']);
  });

  test('another connect error is shown with its message', async () => {
    const s = start();
    await connect(s, 'open 127.0.0.1 10999');
    expect(await afterBanner(s)).toContain('Unable to connect to remote host: connect ETIMEDOUT 127.0.0.1:10999');
  });

  test.each([
    ['open', 'open: needs a host and a port'],
    ['open gaia.cs.umass.edu 7 8', 'open: needs a host and a port'],
    ['open gaia.cs.umass.edu http', "open: 'http' is not a port number (1-65535)"],
    ['open gaia.cs.umass.edu -1', "open: '-1' is not a port number (1-65535)"],
    ['open gaia.cs.umass.edu 0', 'open: port 0 is out of range (1-65535)'],
    ['open gaia.cs.umass.edu 65536', 'open: port 65536 is out of range (1-65535)'],
    ['open gaia.cs.umass.edu 123456', "open: '123456' is not a port number (1-65535)"],
  ])('%j is refused with its usage', async (line, message) => {
    const s = start();
    await connect(s, line);
    expect((await afterBanner(s)).slice(1)).toEqual([message, 'usage: open HOST PORT', 'protolab>']);
  });

  test('port 65535 is accepted', async () => {
    const s = start();
    await connect(s, 'open 127.0.0.1 65535');
    expect(s.connector.last.target.port).toBe(65535);
  });

  test('Ctrl-C while connecting gives the prompt back; the late connection is closed unused', async () => {
    const s = start();
    s.connector.holdConnects = true;
    s.type('open gaia.cs.umass.edu 7\r');
    await settle();
    s.type('typed ahead\r\x03');
    expect((await afterBanner(s)).slice(1)).toEqual(['Trying 128.119.245.12...', '^C', 'protolab>']);
    s.connector.releaseConnects();
    await settle();
    expect(s.connector.last.destroyed).toBe(true);
    expect(s.connector.last.sentText).toBe('');
    expect(s.output()).not.toContain('Connected to');
    s.type('hosts\r');
    expect(s.output()).toContain('HOST ');
  });
});

describe('connected', () => {
  test('Enter sends the line with CR LF as UTF-8; the echo shows on the terminal', async () => {
    const s = start();
    await connect(s);
    s.type('hello\r');
    expect(s.connector.last.sentText).toBe('hello\r\n');
    s.connector.last.receive('hello\r\n');
    s.type('héllo 日本\r');
    expect([...s.connector.last.written.at(-1)!]).toEqual([...new TextEncoder().encode('héllo 日本\r\n')]);
    expect((await afterBanner(s)).slice(5)).toEqual(['hello', 'hello', 'héllo 日本']);
  });

  test('a pasted block is sent line by line, an empty line included', async () => {
    const s = start();
    await connect(s, 'open gaia.cs.umass.edu 80');
    s.type('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n');
    expect(s.connector.last.sentText).toBe('GET / HTTP/1.1\r\nHost: gaia.cs.umass.edu\r\n\r\n');
  });

  test('the line is edited locally before it is sent', async () => {
    const s = start();
    await connect(s);
    s.type('HELO x\x7fbob' + LEFT.repeat(3) + '\x17');
    expect(s.connector.last.written).toEqual([]);
    s.type('\r');
    expect(s.connector.last.sentText).toBe('bob\r\n');
  });

  test('Ctrl-C cancels the line being typed and sends nothing', async () => {
    const s = start();
    await connect(s);
    s.type('QUIT\x03');
    expect(s.connector.last.written).toEqual([]);
    expect((await afterBanner(s)).slice(5)).toEqual(['QUIT^C']);
    s.type('NOOP\r');
    expect(s.connector.last.sentText).toBe('NOOP\r\n');
  });

  test('data that arrives while a line is being typed shows above it; the line stays intact', async () => {
    const s = start({ cols: 40 });
    await connect(s);
    s.type('half typed' + LEFT.repeat(5));
    s.connector.last.receive('220 gaia.cs.umass.edu ready\r\n');
    const rows = await s.screen.rows();
    expect(rows.slice(-2)).toEqual(['220 gaia.cs.umass.edu ready', 'half typed']);
    expect(await s.screen.cursor()).toEqual({ row: rows.length - 1, col: 5 });
    s.type('\r');
    expect(s.connector.last.sentText).toBe('half typed\r\n');
  });

  test('a partial line from the server stays, and typing continues after it', async () => {
    const s = start();
    await connect(s);
    s.connector.last.receive('Name: ');
    s.type('bob');
    expect(await s.screen.cursorRow()).toBe('Name: bob');
    s.connector.last.receive('(hint)');
    expect(await s.screen.cursorRow()).toBe('Name: (hint)bob');
    s.type('\r');
    expect(s.connector.last.sentText).toBe('bob\r\n');
  });

  test('bare LF from the server is shown as a line end; control bytes are shown, not obeyed', async () => {
    const s = start();
    await connect(s);
    s.connector.last.receive(new Uint8Array([0x61, 0x0a, 0x62, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0x0a]));
    expect((await afterBanner(s)).slice(5)).toEqual(['a', 'b^@^[[2J']);
    expect(s.output()).not.toContain('\x1b[2J');
  });

  test('a UTF-8 character split between two segments shows whole', async () => {
    const s = start();
    await connect(s);
    const bytes = new TextEncoder().encode('日本\r\n');
    s.connector.last.receive(bytes.slice(0, 4));
    s.connector.last.receive(bytes.slice(4));
    expect((await afterBanner(s)).slice(5)).toEqual(['日本']);
  });

  test('Up recalls lines sent on connections, not shell commands', async () => {
    const s = start();
    s.type('hosts\r');
    await connect(s);
    s.type('EHLO me\r' + UP);
    expect(await s.screen.cursorRow()).toBe('EHLO me');
    s.type(UP);
    expect(s.writes.at(-1)).toBe(BELL);
  });

  test('Ctrl-] closes the connection and returns to the prompt', async () => {
    const s = start();
    await connect(s);
    s.type('unsent\x1d');
    const connection = s.connector.last;
    expect(connection.destroyed).toBe(true);
    expect((await afterBanner(s)).slice(5)).toEqual(['Connection closed.', 'protolab>']);
    connection.receive('late data\r\n');
    expect(s.output()).not.toContain('late data');
    s.type('help\r');
    expect(connection.written).toEqual([]);
  });

  test('when the server closes: "Connection closed by foreign host." and the prompt', async () => {
    const s = start();
    await connect(s);
    s.type('half');
    s.connector.last.receive('221 Bye');
    s.connector.last.closeByPeer();
    expect((await afterBanner(s)).slice(5)).toEqual(['221 Bye', FOREIGN_CLOSE_MESSAGE, FOREIGN_CLOSE_EXPLANATION, 'protolab>']);
    expect(await s.screen.cursor()).toMatchObject({ col: PROMPT.length });
  });

  test('the plain-words line comes only the first time the server closes in a session', async () => {
    const s = start();
    await connect(s);
    s.connector.last.closeByPeer();
    await connect(s);
    s.connector.last.closeByPeer();
    const text = await s.screen.text();
    expect(text.split(FOREIGN_CLOSE_MESSAGE)).toHaveLength(3);
    expect(text.split(FOREIGN_CLOSE_EXPLANATION)).toHaveLength(2);
    expect((await s.screen.rows()).slice(-2)).toEqual([FOREIGN_CLOSE_MESSAGE, 'protolab>']);
  });

  test("a long line from the server is shown as it came: the shell's word wrap is for its own messages only", async () => {
    const s = start({ cols: 30 });
    await connect(s);
    const before = s.output().length;
    const line = 'HTTP/1.1 301 Moved Permanently to somewhere else';
    s.connector.last.receive(line + '\r\n');
    expect(s.output().slice(before)).toBe(line + '\r\n');
    // The terminal breaks it at the last column, inside a word, as a real telnet would show it.
    expect((await s.screen.rows()).slice(-2)).toEqual(['HTTP/1.1 301 Moved Permanently', ' to somewhere else']);
  });

  test('hints while connected are word-wrapped to the width', async () => {
    const s = start({ cols: 40 });
    await connect(s);
    s.type('\x04more\r');
    expect((await s.screen.rows()).slice(-6)).toEqual([
      '(sent FIN: this side is closed for',
      'sending; the server can still reply.',
      'Ctrl-] closes.)',
      'more',
      '(not sent: this side has sent FIN;',
      'Ctrl-] closes the connection)',
    ]);
    expect(await s.screen.softWrappedRows()).toEqual([]);
  });

  test('a connection that fails shows the error', async () => {
    const s = start();
    await connect(s);
    s.connector.last.closeByPeer('read ECONNRESET');
    expect((await afterBanner(s)).slice(5)).toEqual(['Connection closed: read ECONNRESET', 'protolab>']);
  });

  test('an incomplete UTF-8 sequence at close shows as U+FFFD', async () => {
    const s = start();
    await connect(s);
    s.connector.last.receive(new Uint8Array([0x61, 0xe6, 0x97]));
    s.connector.last.closeByPeer();
    expect((await afterBanner(s)).slice(5, 7)).toEqual(['a\ufffd', FOREIGN_CLOSE_MESSAGE]);
  });

  test('Ctrl-D on an empty line half-closes: FIN is sent, replies still show, nothing more is sent', async () => {
    const s = start();
    await connect(s, 'open gaia.cs.umass.edu 80');
    s.type('GET / HTTP/1.0\r\r');
    s.type('\x04');
    const connection = s.connector.last;
    expect(connection.ended).toBe(true);
    expect(connection.destroyed).toBe(false);
    expect(s.output()).toContain('(sent FIN: this side is closed for sending; the server can still reply. Ctrl-] closes.)');
    connection.receive('HTTP/1.0 200 OK\r\n');
    s.type('more\r');
    expect(s.output()).toContain('(not sent: this side has sent FIN; Ctrl-] closes the connection)');
    expect(connection.sentText).toBe('GET / HTTP/1.0\r\n\r\n');
    const before = s.writes.length;
    s.type('\x04');
    expect(s.writes.slice(before)).toEqual([BELL]);
    connection.closeByPeer();
    const rows = await afterBanner(s);
    expect(rows).toContain('HTTP/1.0 200 OK');
    expect(rows.slice(-3)).toEqual([FOREIGN_CLOSE_MESSAGE, FOREIGN_CLOSE_EXPLANATION, 'protolab>']);
  });

  test('a write that fails is reported and the terminal stays usable', async () => {
    const s = start();
    await connect(s);
    s.connector.last.destroyed = true;
    s.type('lost\r');
    expect(await afterBanner(s)).toContain('(not sent: write after end)');
  });

  test('lines pasted together with open are sent once connected', async () => {
    const s = start();
    s.type('open gaia.cs.umass.edu 7\rHELO one\rHELO two\r');
    await settle();
    expect(s.connector.last.sentText).toBe('HELO one\r\nHELO two\r\n');
  });

  test(`type-ahead beyond ${TYPE_AHEAD_LIMIT} characters is refused with a bell`, async () => {
    const s = start();
    s.connector.holdConnects = true;
    s.type('open gaia.cs.umass.edu 7\r');
    await settle();
    const line = 'x'.repeat(MAX_LINE_LENGTH - 2) + '\r';
    const lines = Math.floor(TYPE_AHEAD_LIMIT / line.length);
    const before = s.writes.length;
    for (let i = 0; i < lines; i++) s.type(line);
    const room = TYPE_AHEAD_LIMIT - lines * line.length;
    s.type('y'.repeat(room));
    expect(s.writes.slice(before)).toEqual([]);
    s.type('z');
    expect(s.writes.slice(before)).toEqual([BELL]);
    s.connector.releaseConnects();
    await settle();
    expect(s.connector.last.sentText).toBe(line.replace('\r', '\r\n').repeat(lines));
    expect(await s.screen.cursorRow()).toBe('y'.repeat(room));
  });
});

describe('the session itself', () => {
  test('dispose closes the connection; nothing is written afterwards', async () => {
    const s = start();
    await connect(s);
    const connection = s.connector.last;
    const count = s.writes.length;
    s.session.dispose();
    expect(connection.destroyed).toBe(true);
    connection.receive('after\r\n');
    s.type('typed\r');
    s.session.resize(50, 20);
    expect(s.writes.length).toBe(count);
    expect(connection.written).toEqual([]);
  });

  test('dispose while a command runs aborts it, and a late connection is closed', async () => {
    const s = start();
    s.connector.holdConnects = true;
    s.type('open gaia.cs.umass.edu 7\r');
    await settle();
    s.session.dispose();
    s.connector.releaseConnects();
    await settle();
    expect(s.connector.last.destroyed).toBe(true);
  });

  test('resize redraws the line being typed for the new width', async () => {
    const s = start({ cols: 40 });
    s.type('open gaia.cs.umass.edu 7 and some more text');
    await s.screen.resize(20, 30);
    s.session.resize(20, 30);
    expect((await afterBanner(s)).slice(-3)).toEqual(['protolab> open gaia.', 'cs.umass.edu 7 and s', 'ome more text']);
    s.type('\x01');
    const promptRow = (await s.screen.rows()).indexOf('protolab> open gaia.');
    expect(await s.screen.cursor()).toEqual({ row: promptRow, col: PROMPT.length });
  });

  test('sizes that are not positive integers, or absurdly large, are ignored', async () => {
    const s = start();
    const count = s.writes.length;
    s.type('abc');
    s.session.resize(0, 10);
    s.session.resize(Number.NaN, 10);
    s.session.resize(10.5, 10);
    s.session.resize(100_000, 10);
    s.session.resize(50, -1);
    expect(s.writes.length).toBe(count + 1);
  });
});

describe('the command table', () => {
  test('a registered command runs with its arguments, writes, and gets the prompt back when done', async () => {
    const calls: string[][] = [];
    const greet: ShellCommand = {
      name: 'greet',
      aliases: ['hi'],
      usage: 'greet NAME...',
      summary: 'say hello',
      async run(args, ctx) {
        calls.push(args);
        ctx.write('Hello, ');
        await Promise.resolve();
        ctx.println(`${args.join(' and ')}!\nBye. (${ctx.columns} columns)`);
      },
    };
    const s = start({ commands: [...builtinCommands(), greet] });
    s.type('hi "Ada Lovelace" Bob\r');
    await settle();
    expect(calls).toEqual([['Ada Lovelace', 'Bob']]);
    expect((await afterBanner(s)).slice(1)).toEqual(['Hello, Ada Lovelace and Bob!', 'Bye. (100 columns)', 'protolab>']);
    s.type('help\r');
    expect(s.output()).toContain('say hello (also: hi)');
  });

  test("println word-wraps from where the row already is; write shows text as it is", async () => {
    const say: ShellCommand = {
      name: 'say',
      usage: 'say',
      summary: 'say things',
      run(_args, ctx) {
        ctx.write('Result: ');
        ctx.println('the quick brown fox jumps over the lazy dog');
        ctx.write('the quick brown fox jumps over the lazy dog\n');
      },
    };
    const s = start({ cols: 30, commands: [say] });
    s.type('say\r');
    expect((await afterBanner(s)).slice(-5)).toEqual([
      'Result: the quick brown fox',
      'jumps over the lazy dog',
      'the quick brown fox jumps over',
      ' the lazy dog',
      'protolab>',
    ]);
    expect(await s.screen.softWrappedRows()).toEqual(['the quick brown fox jumps over| the lazy dog']);
  });

  test('a command that throws gets its message printed, and the shell goes on', async () => {
    const broken: ShellCommand = {
      name: 'broken',
      usage: 'broken',
      summary: 'always fails',
      run() {
        throw new Error('the widget fell off');
      },
    };
    const failing: ShellCommand = {
      name: 'failing',
      usage: 'failing',
      summary: 'fails later',
      async run(_args, ctx) {
        ctx.write('working...');
        throw new UsageError('bad call');
      },
    };
    const s = start({ commands: [broken, failing] });
    s.type('broken\r');
    s.type('failing\r');
    await settle();
    expect((await afterBanner(s)).slice(1)).toEqual([
      'broken: the widget fell off',
      'protolab> failing',
      'working...',
      'failing: bad call',
      'usage: failing',
      'protolab>',
    ]);
  });

  test('two commands may not share a name or alias, and names are one lower-case word', () => {
    const a: ShellCommand = { name: 'a', aliases: ['x'], usage: 'a', summary: 'a', run() {} };
    const b: ShellCommand = { name: 'b', aliases: ['x'], usage: 'b', summary: 'b', run() {} };
    expect(() => new CommandTable([a, b])).toThrow("two commands are named 'x'");
    expect(() => new CommandTable([{ ...a, name: 'Open', aliases: [] }])).toThrow('one lower-case word');
    expect(() => new CommandTable(builtinCommands())).not.toThrow();
  });
});
