// Discard's fields (Wireshark's hf_ table for RFC 863).

import { defineFields } from '../core/field';

export const DISCARD_FIELDS = defineFields({
  discard: {
    name: 'Discard',
    rfc: 'RFC 863',
    blurb: 'Bytes sent to the discard service, which reads them and drops them without any answer.',
  },
  'discard.data': {
    name: 'Data',
    rfc: 'RFC 863',
    blurb: 'The bytes the server threw away. Their content does not matter to the service.',
  },
  'discard.terminator': {
    name: 'Line end',
    rfc: 'RFC 854',
    blurb:
      'How the line ended: CR LF is the telnet-style newline the lab terminal sends, a bare LF is the Unix habit. Discard does not care; the lab shows lines only for readability.',
  },
  'discard.length': {
    name: 'Length',
    rfc: 'RFC 863',
    blurb: 'How many bytes this message carries, line end included: all of them were discarded.',
  },
});
