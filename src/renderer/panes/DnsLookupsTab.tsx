// The resolution view: the lookups the local name server made (newest first), and for the chosen
// one its sequence diagram and every step in words, each linked to its message in the capture
// (named by its message number, as in the packet list, once it is found).

import { useEffect, useMemo, useState } from 'react';
import type { DnsLookup, DnsLookupStep } from '../../shared/dns';
import { captureTargetOf, type CaptureTarget } from '../lib/dns-capture-link';
import {
  LOOPBACK_TIMING_NOTE,
  formatClock,
  formatLookupDuration,
  formatStepTime,
  glueLessNote,
  glueLessReferrals,
  lookupOutcome,
  shownLookup,
  stepLinkText,
  stepLinkTitle,
  stepRoute,
  upstreamQueryCount,
} from '../lib/dns-lookups';
import { stepsInTimeOrder } from '../lib/dns-sequence';
import { DnsSequenceDiagram } from './DnsSequenceDiagram';

export interface DnsLookupsTabProps {
  /** Oldest first, as listDnsLookups gives them. */
  lookups: DnsLookup[];
  loadError: string | null;
  linkOpen: boolean;
  /** Selects a step's message in the packet list; resolves to its message id, or null when the capture no longer has it. */
  onShowCapture?(target: CaptureTarget): Promise<number | null>;
  /** Finds several steps' messages without selecting them, in one search: their message ids, null where not (yet) found. */
  onFindCapture?(targets: readonly CaptureTarget[]): Promise<Array<number | null>>;
}

/**
 * A step's message may reach the packet list (in a capture batch, every 16 ms or so) after the
 * lookup's event names it; the steps not found are looked for again this often, this many times.
 */
const MESSAGE_LOOKUP_RETRY_MS = 500;
const MESSAGE_LOOKUP_ATTEMPTS = 4;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function DnsLookupsTab({ lookups, loadError, linkOpen, onShowCapture, onFindCapture }: DnsLookupsTabProps) {
  // null: follow the newest lookup as they come.
  const [chosenId, setChosenId] = useState<number | null>(null);
  const [shownStep, setShownStep] = useState<{ lookupId: number; n: number; text: string; failed: boolean } | null>(null);
  const lookup = shownLookup(lookups, chosenId);
  const newestFirst = [...lookups].reverse();
  const steps = useMemo(() => (lookup ? stepsInTimeOrder(lookup.steps) : []), [lookup]);
  const glueLess = useMemo(() => new Map(glueLessReferrals(steps).map((g) => [g.referral, g])), [steps]);
  // Message numbers of the shown lookup's steps, by step number, as they are found (only that
  // lookup's: choosing another starts afresh, so this stays as small as one lookup).
  const [messageIds, setMessageIds] = useState<{ lookupId: number | null; ids: ReadonlyMap<number, number> }>({ lookupId: null, ids: new Map() });
  const noteMessageId = (lookupId: number, n: number, id: number) =>
    setMessageIds((cur) => {
      if (cur.lookupId !== lookupId) return { lookupId, ids: new Map([[n, id]]) };
      return cur.ids.get(n) === id ? cur : { lookupId, ids: new Map(cur.ids).set(n, id) };
    });
  const shownIds = lookup && messageIds.lookupId === lookup.id ? messageIds.ids : null;

  // Look the shown lookup's messages up once it has its steps (again as it gains more), all in one search.
  const progress = lookup ? `${lookup.id}:${lookup.steps.length}:${lookup.durationMs ?? 'running'}` : null;
  useEffect(() => {
    if (!lookup || !onFindCapture) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const found = new Set(shownIds?.keys() ?? []);
    const pass = async (attempt: number) => {
      // Every step not found yet, in one search of the capture.
      const wanted = steps.flatMap((step, i) => {
        const target = captureTargetOf(step);
        return target && !found.has(i + 1) ? [{ n: i + 1, target }] : [];
      });
      if (wanted.length === 0) return;
      const ids = await onFindCapture(wanted.map((w) => w.target)).catch(() => wanted.map(() => null));
      if (!live) return;
      let missing = 0;
      wanted.forEach(({ n }, k) => {
        const id = ids[k];
        if (id === null) missing++;
        else {
          found.add(n);
          noteMessageId(lookup.id, n, id);
        }
      });
      // The capture reaches the list a moment after the lookup's event: look again for what was not there yet.
      if (live && missing > 0 && attempt < MESSAGE_LOOKUP_ATTEMPTS) timer = setTimeout(() => void pass(attempt + 1), MESSAGE_LOOKUP_RETRY_MS);
    };
    void pass(1);
    return () => {
      live = false;
      if (timer !== undefined) clearTimeout(timer);
    };
    // Keyed on the lookup's progress, not on every new copy of it (or of the ids found).
  }, [progress, onFindCapture]);

  const showStep = async (step: DnsLookupStep) => {
    if (!lookup || !onShowCapture) return;
    const target = captureTargetOf(step);
    if (!target) return;
    const n = steps.indexOf(step) + 1;
    try {
      const id = await onShowCapture(target);
      if (id !== null) noteMessageId(lookup.id, n, id);
      setShownStep(
        id === null
          ? { lookupId: lookup.id, n, text: `Step ${n} crossed capture connection ${target.connId}: its message is no longer in the capture's recent messages.`, failed: true }
          : { lookupId: lookup.id, n, text: `Step ${n} is message #${id} (on capture connection ${target.connId}), selected in the message list.`, failed: false },
      );
    } catch (err) {
      setShownStep({ lookupId: lookup.id, n, text: `Could not read the capture: ${message(err)}`, failed: true });
    }
  };
  const stepNote = shownStep && lookup && shownStep.lookupId === lookup.id ? shownStep : null;

  return (
    <div className="dns-tab dns-lookups" data-testid="resolution-view">
      <section className="dns-section dns-lookup-list-section" aria-label="Recent lookups">
        <div className="dns-section-head">
          <span className="dns-section-title">Recent lookups</span>
          <span className="muted">{lookups.length}</span>
          <span className="spacer" />
          {chosenId !== null && (
            <button onClick={() => setChosenId(null)} title="Show each new lookup as it happens">
              Follow newest
            </button>
          )}
        </div>
        {lookups.length === 0 && (
          <div className="muted dns-empty">
            {loadError ??
              (linkOpen
                ? 'No lookup yet. Ask the local name server something, e.g. dig gaia.cs.umass.edu in the terminal, or any DNS client pointed at its port.'
                : 'Waiting for the lab core…')}
          </div>
        )}
        {lookups.length > 0 && (
          <div className="dns-lookup-list" role="listbox" aria-label="Lookups, newest first" data-testid="dns-lookup-list">
            <div className="dns-lookup-row dns-lookup-header" aria-hidden="true">
              <span>Time</span>
              <span>Question</span>
              <span className="dns-lookup-client">Client</span>
              <span>Mode</span>
              <span>Outcome</span>
              <span className="num">Took</span>
            </div>
            {newestFirst.map((l) => {
              const selected = lookup?.id === l.id;
              return (
                <div
                  key={l.id}
                  role="option"
                  aria-selected={selected}
                  tabIndex={0}
                  className={`dns-lookup-row${selected ? ' selected' : ''}`}
                  data-testid="dns-lookup"
                  data-lookup-id={l.id}
                  title={`${l.question} asked by ${l.client.name} (${l.client.address}); ${upstreamQueryCount(l)} queries to other servers${l.answers.length ? `\n${l.answers.join('\n')}` : ''}`}
                  onClick={() => setChosenId(l.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setChosenId(l.id);
                    }
                  }}
                >
                  <span className="muted">{formatClock(l.startedAt)}</span>
                  <LookupQuestion question={l.question} />
                  <span className="dns-cut dns-lookup-client">{l.client.name}</span>
                  <span>{l.mode}</span>
                  <span className="dns-lookup-outcome" title={lookupOutcome(l)}>
                    <span className={l.rcode === null ? 'muted' : l.rcode === 'NOERROR' ? 'dns-ok' : 'dns-bad'}>{l.rcode ?? 'running…'}</span>
                    {l.fromCache && (
                      <span className="dns-cache-badge" title="answered from the resolver's cache, without asking any other server">
                        cache
                      </span>
                    )}
                    {l.truncated && (
                      <span className="dns-tc-badge" data-testid="dns-tc-badge" title="the answer was too long for the client's UDP datagram: it got a reply with TC set and no records, to ask again over TCP (dig does, as a lookup of its own)">
                        TC
                      </span>
                    )}
                  </span>
                  <span className="num">{formatLookupDuration(l.durationMs)}</span>
                </div>
              );
            })}
          </div>
        )}
      </section>

      {lookup && (
        <section className="dns-section dns-lookup-detail" aria-label="The chosen lookup" data-testid="dns-lookup-detail">
          <div className="dns-section-head">
            <span className="dns-section-title dns-mono">{lookup.question}</span>
            <span className="muted">
              {lookup.mode}, {lookupOutcome(lookup)}
              {lookup.durationMs !== null ? ` in ${formatLookupDuration(lookup.durationMs)}` : ''}, asked by {lookup.client.name}
            </span>
          </div>
          <div className="dns-legend" aria-label="Legend">
            <span className="dns-legend-query">query</span>
            <span className="dns-legend-response">reply</span>
            <span className="dns-legend-cache">answered from the cache</span>
            <span className="dns-legend-timeout">no reply</span>
            <span className="muted" title="A query's RD bit (RFC 1035 §4.1.1): RD=1 asks the server to find the answer itself (recursive); RD=0 asks only for what it knows, or where to ask next (iterative).">
              RD: recursion desired
            </span>
            {onShowCapture && <span className="muted">Click an arrow to see its message.</span>}
          </div>
          <DnsSequenceDiagram lookup={lookup} onShowStep={onShowCapture ? (s) => void showStep(s) : undefined} activeStep={stepNote && !stepNote.failed ? stepNote.n : null} />
          <div className="dns-timing-note" data-testid="dns-timing-note">
            {LOOPBACK_TIMING_NOTE}
          </div>
          {stepNote && (
            <div className={stepNote.failed ? 'service-error' : 'muted'} role="status" data-testid="dns-step-note">
              {stepNote.text}
            </div>
          )}
          <ol className="dns-step-list" data-testid="dns-step-list">
            {steps.map((s, i) => {
              const target = captureTargetOf(s);
              const messageId = shownIds?.get(i + 1) ?? null;
              const noGlue = glueLess.get(i);
              return (
                <li key={i} className={`dns-step-item dns-step-${s.kind}`} data-testid="dns-step-item">
                  <span className="dns-step-n">{i + 1}</span>
                  <span className="muted dns-step-time">{formatStepTime(s.atMs)}</span>
                  <span className="dns-step-route">{stepRoute(s)}</span>
                  {target && onShowCapture ? (
                    <button
                      className="dns-link"
                      data-testid="dns-step-link"
                      data-message={messageId ?? undefined}
                      onClick={() => void showStep(s)}
                      title={stepLinkTitle(target.connId, s.transport, messageId)}
                    >
                      {stepLinkText(target.connId, messageId)}
                    </button>
                  ) : (
                    <span />
                  )}
                  <span className="dns-step-summary dns-mono">{s.summary}</span>
                  {noGlue && (
                    <span className="dns-step-glue" data-testid="dns-no-glue" title="The referral named its name servers but did not give their addresses (no glue records in its additional section), so their addresses must be looked up before the referral can be followed.">
                      {glueLessNote(noGlue)}
                    </span>
                  )}
                </li>
              );
            })}
          </ol>
          {lookup.answers.length > 0 && (
            <div className="dns-answers">
              <span className="muted">Answer</span>
              {lookup.answers.map((a) => (
                <div key={a} className="dns-mono">
                  {a}
                </div>
              ))}
            </div>
          )}
        </section>
      )}
    </div>
  );
}

/** A lookup's question, `gaia.cs.umass.edu. A`: a long name is cut, never the type after it (A and AAAA must stay apart). */
function LookupQuestion({ question }: { question: string }) {
  const space = question.lastIndexOf(' ');
  if (space < 0) return <span className="dns-mono dns-cut">{question}</span>;
  return (
    <span className="dns-mono dns-lookup-question">
      <span className="dns-cut">{question.slice(0, space)}</span>
      {/* The space is text (a flex gap is not), so the row reads and copies as `name TYPE`. */}
      <span className="dns-lookup-type">{question.slice(space)}</span>
    </span>
  );
}
