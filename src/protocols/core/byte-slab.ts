// Small buffers carved out of a shared slab instead of each getting memory of its own. Allocating a
// typed array's memory costs far more than copying a kibibyte into it: allocating each response of
// the HTTP server engine its own buffer took a sixth of the engine's time. Node's Buffer pool does
// the same for Buffer.allocUnsafe.
//
// The price: a view keeps its whole slab alive, so a slab is only for bytes that are let go of
// soon (a server's response, written and dropped), never for bytes a cache or a long-lived list
// keeps. A consumer must not assume `view.buffer` is its bytes alone. A response a client does not
// read stays in its socket's write queue, and holds its slab meanwhile: a few such clients can
// hold a slab each, bounded by the connections the server allows. Slab memory is never handed out
// twice, so a view may be held as long as need be (by a socket's write queue) without being
// overwritten.

/** Size of one slab. */
export const SLAB_BYTES = 64 * 1024;

/** Allocations longer than this get their own buffer: a slab holds at least sixteen of the longest. */
export const SLAB_MAX_ALLOC_BYTES = 4 * 1024;

/** Each allocation starts on this boundary, as the Buffer pool aligns its slices. */
const ALIGN = 8;

export class ByteSlab {
  private slab = new Uint8Array(SLAB_BYTES);
  private used = 0;

  /** `length` zero bytes of their own (never handed out again), a view into the current slab when few enough. */
  alloc(length: number): Uint8Array {
    if (length > SLAB_MAX_ALLOC_BYTES) return new Uint8Array(length);
    if (this.used + length > SLAB_BYTES) {
      // The old slab lives on in the views still held; this one takes the new ones.
      this.slab = new Uint8Array(SLAB_BYTES);
      this.used = 0;
    }
    const out = this.slab.subarray(this.used, this.used + length);
    this.used += (length + ALIGN - 1) & ~(ALIGN - 1);
    return out;
  }
}
