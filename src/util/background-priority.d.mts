// Types of background-priority.mjs (plain JavaScript, for threads that start without a TypeScript loader).
export declare const BACKGROUND_NICE: number;
export declare function lowerThreadPriority(): void;
