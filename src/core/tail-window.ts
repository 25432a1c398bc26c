/**
 * The end of a file or stream read through a window of its last bytes. When the window does not
 * start where the text does, its first line is only the end of a line: it is dropped, since a
 * secret the window cut through would be left there as a suffix no redaction of the whole secret
 * matches (a multi-byte character cut in two goes with it). A secret spanning several lines is
 * not protected by this: only its lines wholly inside the window are ever shown, but they are.
 *
 * @param window the window's bytes, decoded
 * @param cut true when bytes came before the window
 * @returns the complete lines of the window, as text; empty when a cut window holds no line end
 */
export function completeLines(window: string, cut: boolean): string {
  if (!cut) return window;
  const end = window.indexOf('\n');
  return end === -1 ? '' : window.slice(end + 1);
}
