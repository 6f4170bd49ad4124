// Constant folding: numbers, strings, booleans, lists and arithmetic over `let` names (imported ones
// included) and block parameters. Each `let` is evaluated once; a let defined through itself is
// reported along its whole chain. Enum-like words (`same`, `relu`, `sum`) evaluate to their text.
import type { Expression, LetDeclaration } from '../../grammar/ast.js';
import type { Reporter } from '../../diagnostics/reporter.js';
import type { Env, ScopedLet } from './scope.js';
import { fromFailedImport, visibleConstants } from './scope.js';
import { knownWords } from './words.js';
import { isActivation } from '../shapes/activations.js';

/** What a constant expression evaluates to. */
export type ConstantValue = number | string | boolean | ConstantValue[];

const PENDING = Symbol('pending');

export class ConstantEvaluator {
  private readonly letValues = new Map<LetDeclaration, ConstantValue | undefined | typeof PENDING>();
  private readonly letStack: string[] = [];

  constructor(private readonly reporter: Reporter) {}

  /** The value, or undefined (already reported when `report` is true). */
  evaluate(expr: Expression, env: Env, report = true): ConstantValue | undefined {
    const r = report ? this.reporter : undefined;
    const file = env.scope.file;
    switch (expr.kind) {
      case 'NumberLiteral':
      case 'StringLiteral':
      case 'BooleanLiteral':
        return expr.value;
      case 'ParenExpression':
        return this.evaluate(expr.expression, env, report);
      case 'MissingExpression':
        return undefined;
      case 'ListExpression': {
        const values = expr.elements.map((e) => this.evaluate(e, env, report));
        return values.every((v) => v !== undefined) ? (values as ConstantValue[]) : undefined;
      }
      case 'NameRef': {
        const param = env.params?.get(expr.name);
        if (param) return this.evaluate(param.expr, param.env, report);
        const scoped = env.scope.lets.get(expr.name);
        if (scoped) return this.evaluateLet(scoped);
        if (knownWords.has(expr.name)) return expr.name;
        if (env.scope.namespaces.has(expr.name)) {
          r?.report('AE2010', expr, `\`${expr.name}\` is an imported file, not a constant`, { file });
          return undefined;
        }
        if (expr.recovered || fromFailedImport(env.scope, expr.name, false)) return undefined;
        r?.unknown('AE2001', expr, `unknown name \`${expr.name}\``, expr.name, visibleConstants(env), { file });
        return undefined;
      }
      case 'MemberAccess': {
        const namespace = expr.object.kind === 'NameRef' ? env.scope.namespaces.get(expr.object.name) : undefined;
        if (!namespace) {
          if (expr.object.kind === 'NameRef' && fromFailedImport(env.scope, expr.object.name, true)) return undefined;
          r?.report('AE2010', expr, 'only members of imported files (`lib.code`) are constants', { file });
          return undefined;
        }
        const scoped = namespace.lets.get(expr.member.name);
        if (scoped) return this.evaluateLet(scoped);
        r?.unknown('AE2013', expr.member, `\`${namespace.file}\` has no constant \`${expr.member.name}\``, expr.member.name, namespace.lets.keys(), { file });
        return undefined;
      }
      case 'IndexExpression': {
        const list = this.evaluate(expr.object, env, report);
        const index = this.evaluate(expr.index, env, report);
        if (list === undefined || index === undefined) return undefined;
        if (!Array.isArray(list) || typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= list.length) {
          r?.report('AE2010', expr, 'indexing needs a constant list and a whole index inside it', { file });
          return undefined;
        }
        return list[index];
      }
      case 'UnaryExpression': {
        const value = this.evaluate(expr.operand, env, report);
        if (value === undefined) return undefined;
        if (typeof value !== 'number') {
          r?.report('AE2014', expr.operand, `\`${expr.operator}\` needs a number`, { file });
          return undefined;
        }
        return expr.operator === '-' ? -value : value;
      }
      case 'BinaryExpression': {
        const left = this.evaluate(expr.left, env, report);
        const right = this.evaluate(expr.right, env, report);
        if (left === undefined || right === undefined) return undefined;
        if (typeof left !== 'number' || typeof right !== 'number') {
          r?.report('AE2014', typeof left !== 'number' ? expr.left : expr.right, `\`${expr.operator}\` needs numbers`, { file });
          return undefined;
        }
        switch (expr.operator) {
          case '+':
            return left + right;
          case '-':
            return left - right;
          case '*':
            return left * right;
          case '/':
            if (right === 0) {
              r?.report('AE2016', expr, 'division by zero', { file });
              return undefined;
            }
            return left / right;
        }
        return undefined;
      }
      case 'Call': {
        // `let act = leaky_relu(0.1)`: an activation with its argument is a constant word; where
        // it is used as `act = act`, the binder follows the let back to the call (dereference).
        if (expr.callee.kind === 'NameRef' && isActivation(expr.callee.name)) {
          const args = expr.args.map((a) => this.evaluate(a.value, env, report));
          if (args.some((a) => a === undefined)) return undefined;
          return `${expr.callee.name}(${args.map(String).join(', ')})`;
        }
        r?.report('AE2010', expr, 'a call is not a constant here', { file });
        return undefined;
      }
    }
  }

  /** Each let once; errors are reported the first time, in the let's own file. */
  evaluateLet(scoped: ScopedLet): ConstantValue | undefined {
    const known = this.letValues.get(scoped.decl);
    if (known === PENDING) {
      const start = this.letStack.indexOf(scoped.decl.name.name);
      const chain = [...this.letStack.slice(start < 0 ? 0 : start), scoped.decl.name.name].join(' → ');
      this.reporter.report('AE2011', scoped.decl.name, `constant \`${scoped.decl.name.name}\` is defined in terms of itself (${chain})`, {
        file: scoped.scope.file,
      });
      return undefined;
    }
    if (this.letValues.has(scoped.decl)) return known as ConstantValue | undefined;
    this.letValues.set(scoped.decl, PENDING);
    this.letStack.push(scoped.decl.name.name);
    const value = this.evaluate(scoped.decl.value, { scope: scoped.scope });
    this.letStack.pop();
    this.letValues.set(scoped.decl, value);
    return value;
  }
}

/** Follows block parameters to the expression they were bound to (for words like `act = a`). */
export function dereference(expr: Expression, env: Env): { expr: Expression; env: Env } {
  let current = { expr, env };
  for (let guard = 0; guard < 100; guard++) {
    const e = current.expr;
    if (e.kind === 'ParenExpression') {
      current = { expr: e.expression, env: current.env };
      continue;
    }
    if (e.kind !== 'NameRef') return current;
    const param = current.env.params?.get(e.name);
    if (param) {
      current = { expr: param.expr, env: param.env };
      continue;
    }
    const scoped = current.env.scope.lets.get(e.name);
    if (scoped && (scoped.decl.value.kind === 'NameRef' || scoped.decl.value.kind === 'Call')) {
      current = { expr: scoped.decl.value, env: { scope: scoped.scope } };
      continue;
    }
    return current;
  }
  return current;
}
