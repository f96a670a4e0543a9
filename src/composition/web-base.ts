import type { Settings } from "../settings.ts";

/** GitHub's web address for links: https://github.com, or the Enterprise host of GHE_HOST's API URL (built once per process). */
export const webBaseOf = (settings: Pick<Settings, "github">): string => (settings.github.baseUrl ? settings.github.baseUrl.replace(/\/api\/v3$/, "") : "https://github.com");
