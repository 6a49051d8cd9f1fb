// Types for make-site-images.mjs (a plain Node script, so generating the site images needs no TypeScript).

export type Rgb = [number, number, number];

export declare const SITES_DIR: string;
export declare const JPEG_QUALITY: number;
/** Background colour of img1..img10 on www.someschool.edu, in order. */
export declare const IMAGE_COLOURS: Rgb[];

export declare class Raster {
  constructor(width: number, height: number, background: Rgb);
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
  setPixel(x: number, y: number, colour: Rgb): void;
  getPixel(x: number, y: number): Rgb;
  fillRect(x: number, y: number, w: number, h: number, colour: Rgb): void;
  strokeRect(x: number, y: number, w: number, h: number, colour: Rgb): void;
  fillCircle(cx: number, cy: number, r: number, colour: Rgb): void;
  text(x: number, y: number, text: string, scale: number, colour: Rgb): void;
  centredText(y: number, text: string, scale: number, colour: Rgb): void;
}

export declare function textWidth(text: string, scale: number): number;
export declare function encodeJpeg(raster: Raster, quality?: number): Uint8Array;
export declare function lzwEncode(indices: ArrayLike<number>, minCodeSize: number): number[];
export declare function encodeGif(raster: Raster, palette: Rgb[]): Uint8Array;
/** Every generated image, keyed by its path relative to content/sites/. */
export declare function renderSiteImages(): Map<string, Uint8Array>;
