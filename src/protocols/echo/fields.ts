// Echo's fields (Wireshark's hf_ table for RFC 862).

import { defineFields } from '../core/field';

export const ECHO_FIELDS = defineFields({
  echo: {
    name: 'Echo',
    rfc: 'RFC 862',
    blurb: 'One message of the echo service: a line (TCP) or a datagram (UDP) that the server returns unchanged.',
  },
  'echo.data': {
    name: 'Data',
    rfc: 'RFC 862',
    blurb: 'The bytes being echoed. The service does not read them; any bytes at all are valid.',
  },
  'echo.terminator': {
    name: 'Line end',
    rfc: 'RFC 854',
    blurb:
      'How the line ended. Echo itself has no idea of lines; CR LF is the line end of the telnet-style terminal that sent it (the NVT newline), and a bare LF is what many Unix tools send instead.',
  },
  'echo.length': {
    name: 'Length',
    rfc: 'RFC 862',
    blurb: 'How many bytes this message carries, line end included. An echo reply has as many bytes as what it answers.',
  },
});
