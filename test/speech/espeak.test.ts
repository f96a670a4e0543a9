/**
 * The speech engine of the spoken summaries, on this machine's espeak-ng
 * (the pretest installs it): found on the PATH (espeak-ng, else espeak), run
 * without a shell with the text on stdin, a playable WAV out; nothing when
 * the PATH has no engine or speech is off; its time and size limits.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { espeakFinder, findEspeak, versionOf } from "../../src/speech/espeak.ts";
import { wavInfo, withLengths } from "../../src/speech/wav.ts";

const ESPEAK_NG = "/usr/bin/espeak-ng";

describe("the espeak speech engine", () => {
  let dir: string;
  beforeAll(async () => {
    assert.ok(existsSync(ESPEAK_NG), "espeak-ng is a prerequisite of the tests (npm run pretest installs it)");
    dir = await mkdtemp(join(tmpdir(), "openjules-espeak-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds espeak-ng on the PATH and speaks text into a playable WAV file", async () => {
    const engine = await findEspeak({ tts: "auto", path: "/nonexistent:/usr/bin" });
    assert.ok(engine);
    assert.match(engine.engine, /^espeak-ng \d+\.\d+/);
    const wav = await engine.speak("Alice asked, in app: fix the crash. It opened pull request number 13 on github.com.");
    const info = wavInfo(wav);
    assert.ok(info, "a RIFF/WAVE file with fmt and data chunks");
    assert.equal(String.fromCharCode(...wav.subarray(0, 4)), "RIFF");
    assert.equal(new DataView(wav.buffer, wav.byteOffset).getUint32(4, true), wav.length - 8, "the RIFF length is the file's");
    assert.equal(info.dataBytes, wav.length - 44);
    assert.deepEqual([info.channels, info.bitsPerSample], [1, 16]);
    assert.ok(info.sampleRate > 0);
    assert.ok(info.durationMs > 2000 && info.durationMs < 20_000, `${info.durationMs} ms`);
  });

  it("falls back to espeak when there is no espeak-ng, and names it so", async () => {
    const only = join(dir, "old");
    await mkdir(only);
    await symlink(ESPEAK_NG, join(only, "espeak"));
    const engine = await findEspeak({ tts: "auto", path: only });
    assert.match(engine?.engine ?? "", /^espeak \d+\.\d+/);
    assert.ok(wavInfo(await engine!.speak("hello")));
  });

  it("finds nothing on a PATH without an engine, in relative PATH entries, or with JULES_TTS=off", async () => {
    assert.equal(await findEspeak({ tts: "auto", path: `${dir}:/nonexistent` }), null);
    assert.equal(await findEspeak({ tts: "auto", path: "usr/bin:./bin:" }), null, "relative directories are never searched");
    assert.equal(await findEspeak({ tts: "off", path: "/usr/bin" }), null);
  });

  it("is looked for once", async () => {
    const find = espeakFinder({ tts: "auto", path: "/usr/bin" });
    const [a, b] = [await find(), await find()];
    assert.ok(a);
    assert.equal(a, b);
  });

  it("speaks the text as given, never through a shell", async () => {
    const marker = join(dir, "touched");
    const engine = await findEspeak({ tts: "auto", path: "/usr/bin" });
    const wav = await engine!.speak(`$(touch ${marker}); \`touch ${marker}\` | touch ${marker} -w /etc/passwd`);
    assert.ok(wavInfo(wav));
    assert.equal(existsSync(marker), false);
  });

  it("stops the engine past its time or size limit, and refuses a text too long", async () => {
    const slow = await findEspeak({ tts: "auto", path: "/usr/bin", timeoutMs: 1 });
    await assert.rejects(slow!.speak("a sentence that takes a while to speak"), /took longer than 1 ms/);
    const small = await findEspeak({ tts: "auto", path: "/usr/bin", maxBytes: 2000 });
    await assert.rejects(small!.speak("a sentence that takes a while to speak"), /wrote more than 2000 bytes/);
    await assert.rejects(small!.speak("x".repeat(5000)), /at most 4000 are spoken/);
  });

  it("reads the version eSpeak prints", () => {
    assert.equal(versionOf("eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data\n"), "1.51");
    assert.equal(versionOf("eSpeak text-to-speech: 1.48.15  16.Apr.15  Data at: /usr/share/espeak-data\n"), "1.48.15");
  });
});

describe("WAV headers", () => {
  const header = (riff: number, data: number, body: number) => {
    const bytes = new Uint8Array(44 + body);
    const view = new DataView(bytes.buffer);
    bytes.set(
      [..."RIFF"].map((c) => c.charCodeAt(0)),
      0,
    );
    view.setUint32(4, riff, true);
    bytes.set(
      [..."WAVEfmt "].map((c) => c.charCodeAt(0)),
      8,
    );
    view.setUint32(16, 16, true);
    view.setUint16(20, 1, true);
    view.setUint16(22, 1, true);
    view.setUint32(24, 22050, true);
    view.setUint32(28, 44100, true);
    view.setUint16(32, 2, true);
    view.setUint16(34, 16, true);
    bytes.set(
      [..."data"].map((c) => c.charCodeAt(0)),
      36,
    );
    view.setUint32(40, data, true);
    return bytes;
  };

  it("gives the duration from the header, and fixes the lengths of a file written to a pipe", () => {
    assert.deepEqual(wavInfo(header(44100 + 36, 44100, 44100)), { channels: 1, sampleRate: 22050, bitsPerSample: 16, dataBytes: 44100, durationMs: 1000 });
    const streamed = header(0x7ffff024, 0x7ffff000, 4410);
    assert.equal(wavInfo(streamed), null, "a header claiming more than the file holds");
    assert.equal(wavInfo(withLengths(streamed)!)?.durationMs, 100);
  });

  it("refuses what is not a WAV file", () => {
    assert.equal(wavInfo(new TextEncoder().encode("RIFF....WAVE but nothing more, really nothing")), null);
    assert.equal(wavInfo(new Uint8Array(10)), null);
    assert.equal(withLengths(new TextEncoder().encode("<html>not a wav file at all, just some text here</html>")), null);
  });
});
