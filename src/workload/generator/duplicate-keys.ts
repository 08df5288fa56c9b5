/** A key given twice in one object of a JSON text: where each stands (lines from 1). */
export interface DuplicateKey {
  key: string;
  line: number;
  firstLine: number;
}

/**
 * The first key that appears twice in one object of a valid JSON text, or undefined. JSON.parse
 * keeps the last of them without a word, so a spec edited by hand (a block pasted twice, a key
 * meant for another object) would run on half of what its author wrote. Keys are compared as
 * JSON.parse reads them ("a" and "\u0061" are one key). The text must already parse.
 */
export function firstDuplicateKey(text: string): DuplicateKey | undefined {
  // One entry per open object or array: an object's keys with their lines, or null for an array.
  const open: ({ keys: Map<string, number>; expectKey: boolean } | null)[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      const top = open[open.length - 1];
      if (top && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        const firstLine = top.keys.get(key);
        if (firstLine !== undefined) return { key, line, firstLine };
        top.keys.set(key, line);
        top.expectKey = false;
      }
      i = j; // a JSON string holds no raw line break
    } else if (c === "{") open.push({ keys: new Map(), expectKey: true });
    else if (c === "[") open.push(null);
    else if (c === "}" || c === "]") open.pop();
    else if (c === ",") {
      const top = open[open.length - 1];
      if (top) top.expectKey = true;
    } else if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line++; // LF, CR LF or CR alone
  }
  return undefined;
}
