export declare const FUNCTIONS: string[];
export declare const BUILD_TARGET: string;
export declare function buildFunctions(options?: { metafile?: boolean }): Promise<Record<string, import('esbuild').BuildResult>>;
export declare function buildCliEntry(outfile: string): Promise<void>;
