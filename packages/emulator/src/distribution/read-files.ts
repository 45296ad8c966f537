/**
 * Read distribution input files (JSON or YAML) from disk.
 * @module
 */

import { readFileSync } from 'node:fs';
import { CfsignError, isCfsignError } from '@cfsign/core';
import { type LoadDistributionOptions, loadDistribution } from './load-distribution.js';
import type { Distribution } from './model.js';
import { parseDocument } from './parse-document.js';

/**
 * Read and parse the given files (AWS CLI output or CloudFormation templates, JSON or YAML) and
 * load the distribution they describe. See {@link loadDistribution} for the shapes.
 *
 * @example
 * ```ts
 * const distribution = readDistributionFiles(['distribution.json', 'key-group.json']);
 * const template = readDistributionFiles(['cloudfront.yaml']);
 * ```
 */
export function readDistributionFiles(
  paths: readonly string[],
  options: LoadDistributionOptions = {},
): Distribution {
  const documents = paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new CfsignError(
        'ERR_INVALID_DISTRIBUTION',
        `distribution: cannot read ${path}; pass a readable JSON or YAML file`,
      );
    }
    return parseDocument(text, path);
  });
  try {
    return loadDistribution(documents, options);
  } catch (err) {
    if (!isCfsignError(err, 'ERR_INVALID_DISTRIBUTION')) throw err;
    // Name the file instead of its index in the input list.
    throw new CfsignError(
      err.code,
      err.message.replace(/input\[(\d+)\]/g, (m, i: string) => paths[Number(i)] ?? m),
    );
  }
}
