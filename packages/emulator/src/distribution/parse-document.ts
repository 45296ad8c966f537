/**
 * Parse the text of an input file: JSON (AWS CLI output, a JSON template) or YAML (a CloudFormation
 * template, with its short-form tags `!Ref`, `!GetAtt`, `!Sub`, ... turned into the long form).
 * @module
 */

import { type CollectionTag, parse, type ScalarTag } from 'yaml';
import { invalidInput } from './read-shapes.js';

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
];

function longForm(name: string, value: unknown): unknown {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  return { [`Fn::${name}`]: value };
}

const TAGS: (ScalarTag | CollectionTag)[] = ['Ref', 'Condition', ...FUNCTIONS].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) } satisfies ScalarTag,
  {
    tag: `!${name}`,
    collection: 'seq',
    resolve: (seq) => longForm(name, seq.toJSON()),
  } satisfies CollectionTag,
  {
    tag: `!${name}`,
    collection: 'map',
    resolve: (map) => longForm(name, map.toJSON()),
  } satisfies CollectionTag,
]);

/**
 * Parse JSON or YAML text; `name` (a file name) is used in error messages.
 *
 * @example
 * ```ts
 * parseDocument('Resources:\n  K:\n    Type: AWS::CloudFront::KeyGroup\n    Properties:\n      KeyGroupConfig: { Name: k, Items: [!Ref Pk] }\n', 't.yaml')
 * // { Resources: { K: { ..., Properties: { KeyGroupConfig: { Name: 'k', Items: [{ Ref: 'Pk' }] } } } } }
 * ```
 */
export function parseDocument(input: string, name: string): unknown {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // editors on Windows add a BOM
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      return invalidInput(name, `not valid JSON (${(err as Error).message})`);
    }
  }
  try {
    return parse(text, { customTags: TAGS, prettyErrors: false, maxAliasCount: 100 });
  } catch (err) {
    return invalidInput(name, `neither JSON nor valid YAML (${(err as Error).message.split('\n')[0]})`);
  }
}
