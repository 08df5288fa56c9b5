/**
 * Opening inputs (src/workload/csv-source.ts): a file named .gz that is not gzip fails while its
 * first bytes are unzipped, possibly before its reader has started; the failure must reach the
 * reader as an InputError, never as an 'error' event nobody listens to (which ends the process).
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InputError } from "../../src/index.ts";
import { csvRecords, openInput, readCsvRecords, toInputError } from "../../src/workload/csv-source.ts";

const NOT_GZIP = join(fileURLToPath(new URL("../fixtures/bad/", import.meta.url)), "not-gzip.csv.gz");
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** The error that reading all of `stream` throws, as thrown. */
async function readError(stream: AsyncIterable<unknown>): Promise<Error> {
  try {
    for await (const _ of stream) void _;
  } catch (err) {
    return err as Error;
  }
  throw new Error("the stream ended without an error");
}

describe("a .gz file that is not gzip", () => {
  it("fails its reader even when the reader starts after the failure", async () => {
    const { raw, stream } = await openInput(NOT_GZIP);
    await settle(); // the file has been read and gunzip has failed by now
    expect(stream.errored).toBeInstanceOf(Error);
    // A raw stream's reader turns its error into an InputError, as the importers' textLines does.
    const err = toInputError(await readError(stream), NOT_GZIP);
    raw.destroy();
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("not a valid gzip file (incorrect header check)");
  });

  it("is an InputError naming the file from csvRecords and readCsvRecords", async () => {
    const err = await readError(csvRecords(NOT_GZIP));
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toContain("not-gzip.csv.gz");
    await expect(readCsvRecords(NOT_GZIP)).rejects.toThrow(/not-gzip\.csv\.gz: not a valid gzip file/);
  });
});
