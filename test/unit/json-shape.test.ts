import { describe, expect, it } from 'vitest';
import { jsonShapeProblem, MAX_JSON_DEPTH } from '../../lib/shared/json-shape';

describe('jsonShapeProblem', () => {
  it('lets ordinary JSON through', () => {
    expect(jsonShapeProblem('{"a":1,"b":[{"a":2},{"a":3}],"c":"x\\"y"}')).toBeUndefined();
    expect(jsonShapeProblem('"just a string"')).toBeUndefined();
  });

  it('names a key given twice in one object, with its path', () => {
    expect(jsonShapeProblem('{"subsId":"1","subsId":"2"}')).toEqual({ kind: 'duplicate', path: 'subsId' });
    expect(jsonShapeProblem('{"q":[{"a":1},{"a":1,"a":2}]}')).toEqual({ kind: 'duplicate', path: 'q[1].a' });
  });

  it('sees through escapes: \\u0061 and a are the same key', () => {
    expect(jsonShapeProblem('{"a":1,"\\u0061":2}')).toEqual({ kind: 'duplicate', path: 'a' });
  });

  it('does not take string contents for structure', () => {
    expect(jsonShapeProblem(`{"a":"${'['.repeat(100)}{\\"a\\":1,\\"a\\":2}"}`)).toBeUndefined();
  });

  it(`rejects nesting beyond ${MAX_JSON_DEPTH} levels without recursing`, () => {
    expect(jsonShapeProblem(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`)).toBeUndefined();
    expect(jsonShapeProblem(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`)).toEqual({ kind: 'depth' });
    expect(jsonShapeProblem(`{"a":${'['.repeat(1_000_000)}`)).toEqual({ kind: 'depth' });
  });
});
