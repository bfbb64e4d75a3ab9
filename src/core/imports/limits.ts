// How much of one file is read for its imports, shared by every reader (the base tree's
// blobs, the working tree's files) and by the parser itself, so the three cannot drift.

/**
 * Bytes of a file read for its imports; the rest of a huge (usually generated) file is not
 * parsed, so one giant cannot stall a cold run. The parser cuts its input at the same number
 * of UTF-16 units: text decoded from at most this many bytes never has more units than bytes.
 */
export const IMPORT_SCAN_BYTES = 256 * 1024;
