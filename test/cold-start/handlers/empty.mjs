// The baseline of baselines: what importing a module costs at all.
export {};
