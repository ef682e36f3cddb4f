import { z } from 'zod';

/** ISO 8601 timestamp with an explicit offset (`Z` or `+01:00`). */
export const timestamp = z.iso.datetime({ offset: true });

/** Bounded strings keep a hostile report from filling the store. */
export const shortText = z.string().max(256);
export const text = z.string().max(4096);

export const nullableText = shortText.nullable();
