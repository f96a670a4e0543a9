import { describe, expect, it } from "vitest";
import { describeServiceUrl } from "../../src/security/service-url.ts";

const redis = { variable: "REDIS_URL", protocols: ["redis:", "rediss:"], example: "redis://[:password@]host:6379[/db] or rediss:// for TLS" } as const;

describe("describeServiceUrl", () => {
  it("is the URL with its password replaced, safe to print", () => {
    expect(describeServiceUrl("redis://:s3cret@127.0.0.1:6379/2", redis)).toBe("redis://:***@127.0.0.1:6379/2");
    expect(describeServiceUrl("rediss://cache.example:6380", redis)).toBe("rediss://cache.example:6380");
  });

  it("names the variable and what was expected for a non-URL or another scheme, never echoing the value", () => {
    expect(() => describeServiceUrl("not a url s3cret", redis)).toThrow(new TypeError("REDIS_URL is not a URL; expected redis://[:password@]host:6379[/db] or rediss:// for TLS."));
    expect(() => describeServiceUrl("http://u:s3cret@127.0.0.1", redis)).toThrow(new TypeError('REDIS_URL must start with redis:// or rediss://, got "http://".'));
  });
});
