/**
 * IIN/BIN (Kazakh 12-digit individual and business identification numbers) check digit: weights 1..11,
 * sum mod 11; if that is 10, weights 3..11,1,2; if that is 10 too, the number is not issued.
 */
function checkDigit(first11: string): number | null {
  const d = [...first11].map(Number);
  const w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
  let c = d.reduce((s, x, i) => s + x * w1[i], 0) % 11;
  if (c === 10) c = d.reduce((s, x, i) => s + x * w2[i], 0) % 11;
  return c === 10 ? null : c;
}

export function isValidIinOrBin(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  return checkDigit(value.slice(0, 11)) === Number(value[11]);
}

/** Completes 11 digits with the check digit (bumping the serial until one exists). */
export function withCheckDigit(first11: string): string {
  let base = first11;
  for (let i = 0; i < 10; i++) {
    const c = checkDigit(base);
    if (c !== null) return base + c;
    base = base.slice(0, 10) + String((Number(base[10]) + 1) % 10);
  }
  throw new Error(`No IIN/BIN check digit for ${first11}`);
}
