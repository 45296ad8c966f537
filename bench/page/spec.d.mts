export declare const CF_ORIGIN: string;
export declare const KEY_PAIR_ID: string;
export declare const EXPIRES: number;
export declare const PREFIX: string;
export declare const FAKE_SIGNATURE: string;
export declare const SIGNED_SUFFIX: string;
export declare function fakeSignUrl(url: string): string | null;
export declare function escapeAttr(value: string, quote?: '"' | "'"): string;
