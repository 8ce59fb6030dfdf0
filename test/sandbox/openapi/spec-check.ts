/**
 * Checks REST exchanges against Telnyx's own OpenAPI spec (the subset copied beside this file; see
 * README.md here for its provenance and the deviations patched in at load time). Pure: given a method, a
 * path, a status and the two bodies, it returns the mismatches — the sandbox decides what to do with them.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import subset from './telnyx-openapi-subset.json' with { type: 'json' };

// ajv-formats is CommonJS with `exports.default`; under Node's ESM interop the function sits on `.default`.
const addFormats =
	(addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
	addFormatsModule;

/** One way an exchange disagrees with the spec. */
export interface SpecMismatch {
	readonly operation: string;
	readonly method: string;
	readonly path: string;
	readonly status: number;
	readonly part: 'request' | 'response';
	/** Ajv's messages, `instancePath message` each. */
	readonly errors: readonly string[];
}

export interface Exchange {
	readonly method: string;
	/** The path under `/v2`, either concrete (`/credential_connections/123`) or the template. */
	readonly path: string;
	readonly status: number;
	/** The parsed request body, or undefined when the request carried none. */
	readonly requestBody: unknown;
	/** The parsed JSON response, or the text of a text/plain response. */
	readonly responseBody: unknown;
}

export interface SpecChecker {
	/** The operation a request maps to, or undefined when the spec has none (the sandbox then 404s). */
	operationId(method: string, path: string): string | undefined;
	check(exchange: Exchange): SpecMismatch[];
}

/**
 * Fields the spec types as non-nullable although Telnyx documents (and returns) null for them when unset.
 * Each is allowed null wherever it appears; README.md gives the reason for each.
 */
export const NULLABLE_DEVIATIONS = [
	'outbound_voice_profile_id',
	'channel_limit',
	'webhook_event_url',
	'expires_at',
] as const;

type Schema = Record<string, unknown>;

interface Operation {
	readonly id: string;
	readonly method: string;
	readonly template: string;
	readonly pattern: RegExp;
	readonly request: Schema | undefined;
	readonly responses: Readonly<Record<string, Schema | undefined>>;
}

const isRecord = (value: unknown): value is Schema =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Adds null to the listed properties' types, everywhere in a (cloned) schema tree. */
export function allowNull(node: unknown, names: readonly string[]): void {
	if (Array.isArray(node)) {
		for (const item of node) allowNull(item, names);
		return;
	}
	if (!isRecord(node)) return;
	const properties = node['properties'];
	if (isRecord(properties)) {
		for (const name of names) {
			const property = properties[name];
			if (!isRecord(property) || typeof property['type'] === 'undefined') continue;
			const types = Array.isArray(property['type']) ? property['type'] : [property['type']];
			if (!types.includes('null')) property['type'] = [...types, 'null'];
			if (Array.isArray(property['enum']) && !property['enum'].includes(null))
				property['enum'] = [...property['enum'], null];
		}
	}
	for (const value of Object.values(node)) allowNull(value, names);
}

/**
 * Lets a formatted string field take the empty string where the spec itself documents `""` as its default
 * (`webhook_event_failover_url`: format uri, default ""). Telnyx returns the default for an unset field.
 */
export function allowEmptyDefault(node: unknown): void {
	if (Array.isArray(node)) {
		for (const item of node) allowEmptyDefault(item);
		return;
	}
	if (!isRecord(node)) return;
	if (node['default'] === '' && typeof node['format'] === 'string') {
		node['anyOf'] = [{ format: node['format'] }, { const: '' }];
		delete node['format'];
	}
	for (const value of Object.values(node)) allowEmptyDefault(value);
}

/** The schema of a request body or a response, whichever media type it is given in. */
function contentSchema(node: unknown): Schema | undefined {
	if (!isRecord(node) || !isRecord(node['content'])) return undefined;
	for (const media of Object.values(node['content'])) {
		if (isRecord(media) && isRecord(media['schema'])) return media['schema'];
	}
	return undefined;
}

/** The first schema named `ErrorResponse` in the spec: Telnyx's `{errors: [...]}` envelope. */
function findErrorEnvelope(node: unknown): Schema | undefined {
	if (Array.isArray(node)) {
		for (const item of node) {
			const found = findErrorEnvelope(item);
			if (found !== undefined) return found;
		}
		return undefined;
	}
	if (!isRecord(node)) return undefined;
	if (node['_ref'] === 'ErrorResponse') return node;
	for (const value of Object.values(node)) {
		const found = findErrorEnvelope(value);
		if (found !== undefined) return found;
	}
	return undefined;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
	return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

/** Builds a checker from an OpenAPI document whose `$ref`s are inlined (the subset's form). */
export function createSpecChecker(document: unknown = subset): SpecChecker {
	const spec = structuredClone(document) as { paths?: Record<string, Record<string, unknown>> };
	allowNull(spec, NULLABLE_DEVIATIONS);
	allowEmptyDefault(spec);
	const envelope = findErrorEnvelope(spec);
	if (envelope === undefined) throw new Error('The spec has no ErrorResponse schema');

	const operations: Operation[] = [];
	for (const [template, item] of Object.entries(spec.paths ?? {})) {
		const pattern = new RegExp(
			`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`,
		);
		for (const [method, op] of Object.entries(item)) {
			if (!isRecord(op) || typeof op['operationId'] !== 'string') continue;
			const responses: Record<string, Schema | undefined> = {};
			for (const [status, response] of Object.entries(
				isRecord(op['responses']) ? op['responses'] : {},
			)) {
				responses[status] = contentSchema(response);
			}
			operations.push({
				id: op['operationId'],
				method: method.toUpperCase(),
				template,
				pattern,
				request: contentSchema(op['requestBody']),
				responses,
			});
		}
	}

	const ajv = new Ajv({ strict: false, allErrors: true });
	// The formats the subset uses (date-time, uuid, uri, time), checked by ajv's own format library.
	addFormats(ajv);
	const compiled = new Map<Schema, ValidateFunction>();
	const validator = (schema: Schema) => {
		let fn = compiled.get(schema);
		if (fn === undefined) {
			fn = ajv.compile(schema);
			compiled.set(schema, fn);
		}
		return fn;
	};

	const find = (method: string, path: string) =>
		operations.find(
			(op) => op.method === method.toUpperCase() && (op.template === path || op.pattern.test(path)),
		);

	return {
		operationId: (method, path) => find(method, path)?.id,
		check(exchange) {
			const op = find(exchange.method, exchange.path);
			if (op === undefined) return [];
			const mismatches: SpecMismatch[] = [];
			const report = (part: SpecMismatch['part'], errors: string[]) =>
				mismatches.push({
					operation: op.id,
					method: op.method,
					path: exchange.path,
					status: exchange.status,
					part,
					errors,
				});

			// A request is judged only when the sandbox accepted it: tests send invalid bodies on purpose, and
			// the sandbox's 4xx for them is what is under test.
			const accepted = exchange.status >= 200 && exchange.status < 300;
			if (accepted && op.request !== undefined) {
				const validate = validator(op.request);
				if (!validate(exchange.requestBody ?? {})) report('request', describe(validate.errors));
			}

			// The status's own schema; else `default`; else, for an error status, Telnyx's error envelope (the
			// spec leaves many error responses without content, and 429/500 off most operations).
			const schema =
				op.responses[String(exchange.status)] ??
				op.responses['default'] ??
				(exchange.status >= 400 ? envelope : undefined);
			if (schema === undefined) {
				if (!(String(exchange.status) in op.responses)) {
					report('response', [`status ${exchange.status} is not documented for ${op.id}`]);
				}
				return mismatches;
			}
			const validate = validator(schema);
			if (!validate(exchange.responseBody)) report('response', describe(validate.errors));
			return mismatches;
		},
	};
}
