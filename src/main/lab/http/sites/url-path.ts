// From a request target's path to a place in a folder, without ever leaving the folder. The path
// is percent-decoded exactly once (RFC 3986 §2.4: decoding twice turns "%252e" into "."), and
// anything that could climb out or mean something else to the file system is refused before the
// file system sees it: "." and ".." segments, an encoded "/" or "\", NUL and other control bytes.
// Symbolic links that lead out of the folder are caught after the fact by comparing real paths.

import fsSync, { type Stats } from 'node:fs';
import path from 'node:path';
import type { RealPathCache } from './real-path-cache';

export type UrlPath = { ok: true; path: string; segments: string[] } | { ok: false; reason: string };

/** Decodes and checks a request path (`/a%20b/c.html` -> `/a b/c.html`). */
export function decodeUrlPath(raw: string): UrlPath {
  if (!raw.startsWith('/')) return { ok: false, reason: `the path "${raw}" does not start with "/"` };
  // An encoded separator would be a "/" the URL did not have: RFC 3986 §2.2 says %2F is data, not a delimiter.
  if (/%2f|%5c/i.test(raw)) return { ok: false, reason: 'the path holds an encoded "/" or "\\" (%2F or %5C), which this server refuses: it would hide a folder boundary' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return { ok: false, reason: 'the path holds a "%" that is not followed by two hex digits, or escapes that are not UTF-8' };
  }
  if (/[\x00-\x1f\x7f]/.test(decoded)) return { ok: false, reason: 'the path holds a NUL or another control character once decoded' };
  if (decoded.includes('\\')) return { ok: false, reason: 'the path holds a backslash, which some systems read as a folder separator' };
  // "/a//b" names the same file as "/a/b"; merged here, so a prefix check cannot be dodged with an extra "/".
  const merged = decoded.replace(/\/{2,}/g, '/');
  const segments = merged.split('/').slice(1);
  if (segments.some((s) => s === '..' || s === '.')) {
    return { ok: false, reason: 'the path has a "." or ".." segment (possibly percent-encoded): this server does not let a path climb out of the site\'s folder' };
  }
  return { ok: true, path: merged, segments };
}

/** Whether `child` is `parent` or lies below it (both absolute, already real paths). */
export function isWithin(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export type Located = { kind: 'file'; real: string; stat: Stats } | { kind: 'folder'; real: string } | { kind: 'missing' };

/** Errors from the file system that mean "nothing there" to a client. */
const NOT_THERE = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG', 'ELOOP', 'EACCES', 'EPERM']);

/**
 * Looks up checked `segments` below `rootReal` (a real path). A symbolic link is followed only when
 * its target is still inside the root; one leading out reads as missing. The two metadata calls
 * are synchronous on purpose: on the lab's local data folder each takes microseconds, less than a
 * round trip through libuv's thread pool (the async calls made a static GET about 15% slower here).
 * With a `cache`, a file found recently is checked with one lstat of its real path (one per turn
 * of the event loop) instead of being resolved again (see real-path-cache.ts for what that trusts).
 */
export function locate(rootReal: string, segments: readonly string[], cache?: RealPathCache): Located {
  // The cache key needs no path.join (the segments are checked, so the same ones mean the same path).
  const key = cache ? `${rootReal}\0${segments.join('/')}` : '';
  try {
    if (cache) {
      const known = cache.get(key);
      if (known !== undefined) {
        const stat = cache.fileStat(known);
        if (stat) return { kind: 'file', real: known, stat };
        cache.delete(key);
      }
    }
    const real = fsSync.realpathSync.native(path.join(rootReal, ...segments));
    if (!isWithin(rootReal, real)) return { kind: 'missing' };
    const stat = fsSync.statSync(real);
    if (stat.isFile()) {
      cache?.set(key, real);
      return { kind: 'file', real, stat };
    }
    if (stat.isDirectory()) return { kind: 'folder', real };
    return { kind: 'missing' };
  } catch (err) {
    if (NOT_THERE.has((err as NodeJS.ErrnoException).code ?? '')) return { kind: 'missing' };
    throw err;
  }
}

/** The URL path of `real` below `rootReal` (both real paths, `real` inside the root): `/a/b.html`. */
export function urlPathBelow(rootReal: string, real: string): string {
  // The common case without path.relative: a real path inside the root starts with the root and a separator.
  const relative = real.startsWith(rootReal) && real[rootReal.length] === path.sep ? real.slice(rootReal.length + 1) : path.relative(rootReal, real);
  return `/${relative.split(path.sep).join('/')}`;
}
