// Daytime's fields (Wireshark's hf_ table for RFC 867).

import { defineFields } from '../core/field';

export const DAYTIME_FIELDS = defineFields({
  daytime: {
    name: 'Daytime',
    rfc: 'RFC 867',
    blurb: 'One message of the daytime service: the line with the current date and time, or bytes sent to the server, which it ignores.',
  },
  'daytime.text': {
    name: 'Date and time',
    rfc: 'RFC 867',
    blurb:
      'The server\'s idea of the current date and time, as text for people. RFC 867 sets no format; this lab writes the weekday, date and 24-hour time in UTC.',
  },
  'daytime.terminator': {
    name: 'Line end',
    rfc: 'RFC 867',
    blurb: 'The end of the date line. RFC 867 only asks for one line; the lab ends it with CR LF, the newline of telnet-style clients.',
  },
  'daytime.time': {
    name: 'Parsed time',
    rfc: 'RFC 867',
    blurb: 'The date line read back as an instant (ISO 8601, UTC), when it is in the lab\'s own format.',
  },
  'daytime.ignored': {
    name: 'Ignored data',
    rfc: 'RFC 867',
    blurb: 'Bytes the client sent. A daytime server reads nothing: over TCP it throws them away, over UDP any datagram just triggers the answer.',
  },
  'daytime.length': {
    name: 'Length',
    rfc: 'RFC 867',
    blurb: 'How many bytes the message carries.',
  },
});
