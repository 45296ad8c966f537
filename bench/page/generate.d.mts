export interface PageStats {
  targets: number;
  publicRefs: number;
  decoys: number;
  byContext: Record<string, number>;
  inputBytes: number;
  expectedBytes: number;
}
export declare function generatePage(options?: { seed?: number; targetBytes?: number }): {
  html: string;
  expected: string;
  stats: PageStats;
};
