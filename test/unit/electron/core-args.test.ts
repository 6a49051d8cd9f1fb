import { describe, expect, it } from 'vitest';
import { formatCoreArgs, parseCoreArgs, portOffsetFromAppArgs } from '../../../src/main/electron/core-args';

describe('core process arguments', () => {
  it('carry the folders and the port offset across, among the runtime arguments', () => {
    const options = { dataDir: '/home/student/.config/Protolab/lab', contentDir: '/opt/Protolab/resources/content', portOffset: 20000 };
    const argv = ['/opt/Protolab/protolab', '--type=utility', ...formatCoreArgs(options)];
    expect(parseCoreArgs(argv)).toEqual(options);
  });

  it('leave the port offset out when none was given', () => {
    const options = { dataDir: 'C:\\Users\\student\\AppData\\Roaming\\Protolab\\lab', contentDir: 'C:\\Program Files\\Protolab\\resources\\content' };
    expect(parseCoreArgs(formatCoreArgs(options))).toEqual(options);
  });

  it('keep folder names with spaces and equals signs intact', () => {
    const options = { dataDir: '/tmp/a b=c/lab', contentDir: '/tmp/x=y z/content' };
    expect(parseCoreArgs(formatCoreArgs(options))).toEqual(options);
  });

  it('name the missing folder', () => {
    expect(() => parseCoreArgs(['--protolab-content-dir=/c'])).toThrow(/--protolab-data-dir=/);
    expect(() => parseCoreArgs(['--protolab-data-dir=/d'])).toThrow(/--protolab-content-dir=/);
  });
});

describe('portOffsetFromAppArgs', () => {
  it('reads --port-offset N and --port-offset=N', () => {
    expect(portOffsetFromAppArgs(['electron', '.', '--port-offset', '20000'])).toBe(20000);
    expect(portOffsetFromAppArgs(['electron', '.', '--port-offset=0'])).toBe(0);
  });

  it('is undefined when not given', () => {
    expect(portOffsetFromAppArgs(['electron', '.'])).toBeUndefined();
  });

  it('refuses anything but a whole number', () => {
    expect(() => portOffsetFromAppArgs(['--port-offset=-5'])).toThrow(/whole number/);
    expect(() => portOffsetFromAppArgs(['--port-offset', '1e4'])).toThrow(/whole number/);
    expect(() => portOffsetFromAppArgs(['--port-offset'])).toThrow(/needs a number/);
  });
});
