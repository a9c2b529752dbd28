// The Luhn check card numbers pass: shared by the log redaction (a card number never reaches a log file) and the
// emulator's card validation. Plain and dependency-free, like the rest of electron/ipc.

/** Whether a string of digits passes the Luhn check. */
export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
