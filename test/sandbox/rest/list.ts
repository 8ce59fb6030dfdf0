/**
 * List endpoints: `filter[...]` parameters, `page[number]`/`page[size]` pagination and `sort`, answered with
 * Telnyx's `{data, meta}` envelope. The official client percent-encodes the brackets; URLSearchParams
 * decodes them, so keys arrive here as `filter[tag]`.
 */
import { RestError, telnyxError } from './errors';
import type { JsonObject } from '../store';

export interface ListOptions {
	readonly defaultPageSize: number;
	/** Sort keys the endpoint accepts (without the `-` prefix); the default order is newest first. */
	readonly sortable?: readonly string[];
}

export interface ListPage {
	readonly data: JsonObject[];
	readonly meta: {
		page_number: number;
		page_size: number;
		total_pages: number;
		total_results: number;
	};
}

/** The `filter[...]` parameters, with keys reduced to what is inside the outer brackets: `connection_name][contains`. */
export function filtersOf(query: URLSearchParams): Map<string, string> {
	const filters = new Map<string, string>();
	for (const [key, value] of query) {
		const match = /^filter\[(.+)\]$/.exec(key);
		if (match?.[1] !== undefined) filters.set(match[1], value);
	}
	return filters;
}

function invalidPagination(): RestError {
	return new RestError(422, [
		telnyxError(
			'10015',
			'Invalid pagination',
			"The provided 'page' parameter is invalid. It must be an object with 'size' and/or 'number' with numeric values.",
			'page/number',
		),
	]);
}

function pageParam(query: URLSearchParams, name: string, fallback: number, max: number): number {
	const raw = query.get(`page[${name}]`);
	if (raw === null) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > max) throw invalidPagination();
	return value;
}

function compare(a: unknown, b: unknown): number {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
	const text = (value: unknown) =>
		typeof value === 'string' ? value : JSON.stringify(value ?? '');
	return text(a).localeCompare(text(b));
}

export function paginate(
	items: readonly JsonObject[],
	query: URLSearchParams,
	options: ListOptions,
): ListPage {
	const sort = query.get('sort');
	let sorted = [...items].sort((a, b) => compare(b['created_at'], a['created_at']));
	if (sort !== null) {
		const key = sort.replace(/^-/, '');
		if (!(options.sortable ?? []).includes(key)) {
			throw new RestError(422, [
				telnyxError('10015', 'Bad Request', `Invalid sort field: ${key}`, '/sort'),
			]);
		}
		const direction = sort.startsWith('-') ? -1 : 1;
		sorted = [...items].sort((a, b) => direction * compare(a[key], b[key]));
	}
	const pageSize = pageParam(query, 'size', options.defaultPageSize, 250);
	const pageNumber = pageParam(query, 'number', 1, Number.MAX_SAFE_INTEGER);
	const start = (pageNumber - 1) * pageSize;
	return {
		data: sorted.slice(start, start + pageSize),
		meta: {
			page_number: pageNumber,
			page_size: pageSize,
			total_pages: Math.max(1, Math.ceil(sorted.length / pageSize)),
			total_results: sorted.length,
		},
	};
}
