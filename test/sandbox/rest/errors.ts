/** Telnyx error envelopes: `{"errors":[{code,title,detail,source,meta}]}`. */

export interface TelnyxError {
	readonly code: string;
	readonly title: string;
	readonly detail: string;
	readonly source?: { readonly pointer: string };
	readonly meta: { readonly url: string };
}

export function telnyxError(
	code: string,
	title: string,
	detail: string,
	pointer?: string,
): TelnyxError {
	return {
		code,
		title,
		detail,
		...(pointer === undefined ? {} : { source: { pointer } }),
		meta: { url: `https://developers.telnyx.com/docs/overview/errors/${code}` },
	};
}

/** An error the REST layer answers with: an HTTP status and one or more envelopes. */
export class RestError extends Error {
	constructor(
		readonly status: number,
		readonly errors: readonly TelnyxError[],
		readonly headers: Readonly<Record<string, string>> = {},
		/** A body other than the standard envelope, for the few places Telnyx answers differently. */
		readonly rawBody?: unknown,
	) {
		super(errors[0]?.detail ?? `HTTP ${status}`);
	}
}

export const unauthenticated = () =>
	new RestError(401, [
		telnyxError('10009', 'Authentication failed', 'Could not understand the provided credentials.'),
	]);

export const notFound = () =>
	new RestError(404, [
		telnyxError(
			'10005',
			'Resource not found',
			'The requested resource or URL could not be found.',
			'/',
		),
	]);

/**
 * A 429. Telnyx documents only `x-ratelimit-limit|remaining|reset` on it (the caller adds those);
 * `retry-after` is the sandbox's kinder option.
 */
export const tooManyRequests = (resetSeconds: number, withRetryAfter = false) =>
	new RestError(
		429,
		[
			telnyxError(
				'10011',
				'Too many requests',
				'You have exceeded the maximum number of allowed requests.',
			),
		],
		withRetryAfter ? { 'retry-after': String(resetSeconds) } : {},
	);

export const badRequest = (detail = 'The request failed because it was not well-formed.') =>
	new RestError(400, [telnyxError('10015', 'Bad Request', detail, '/')]);

/** A 422 for one field, in the changeset style Telnyx uses for validation errors. */
export const invalidField = (field: string, detail: string) =>
	new RestError(422, [
		telnyxError('10015', 'Bad Request', detail, `/${field.replaceAll('.', '/')}`),
	]);

export const missingField = (field: string) =>
	new RestError(422, [
		telnyxError(
			'10004',
			'Missing required parameter',
			`The '${field}' parameter is required.`,
			`/${field}`,
		),
	]);

export function statusError(status: number): RestError {
	switch (status) {
		case 401:
			return unauthenticated();
		case 403:
			return new RestError(403, [
				telnyxError(
					'10010',
					'Not authorized',
					'You are not authorized to access the requested resource.',
					'/',
				),
			]);
		case 404:
			return notFound();
		case 408:
			return new RestError(408, [
				telnyxError('10008', 'Request timeout', 'The request timed out.'),
			]);
		case 429:
			return tooManyRequests(1);
		default:
			return new RestError(status, [
				telnyxError('10007', 'Unexpected error', 'An unexpected error occurred.'),
			]);
	}
}
