// Fields for bytes of no known protocol: what the terminal's `open` to an arbitrary port carries.

import { defineFields } from '../core/field';

export const RAW_FIELDS = defineFields({
  'raw.datagram': {
    name: 'Datagram',
    blurb: 'One UDP datagram of a protocol the lab does not know. UDP keeps it whole: it arrives as sent or not at all.',
  },
  'raw.line': {
    name: 'Line',
    blurb: 'One line of a byte stream the lab has no dissector for, cut where a line feed ends it.',
  },
  'raw.text': {
    name: 'Text',
    blurb: 'The line\'s bytes without the line end, shown as UTF-8 text with control characters escaped.',
  },
  'raw.terminator': {
    name: 'Line end',
    rfc: 'RFC 5198 §2',
    blurb: 'How the line ended. Internet text protocols end lines with CR LF; a bare LF is the Unix habit, which many servers accept but should not be relied on.',
  },
  'raw.nul': {
    name: 'NUL bytes',
    rfc: 'RFC 5198 §2',
    blurb: 'Zero bytes inside a line. Text protocols do not allow them, so they usually mean binary data or a client bug.',
  },
  'raw.non_ascii': {
    name: 'Non-ASCII bytes',
    rfc: 'RFC 20',
    blurb: 'Bytes of 0x80 or more: outside US-ASCII, which most classic text protocols are limited to. Valid UTF-8 is text in another script; anything else is binary.',
  },
  'raw.length': {
    name: 'Length',
    blurb: 'How many bytes the message carries, line end included.',
  },
});
