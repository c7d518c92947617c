/** The file name from a Content-Disposition header, else the fallback. */
export function dispositionName(header: string | null, fallback: string): string {
  const m = header ? /filename="([^"]+)"/.exec(header) : null;
  return m ? m[1] : fallback;
}
