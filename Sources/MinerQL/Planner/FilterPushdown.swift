// Moves filter conditions as close to the scans as they can go: a WHERE over a
// comma or inner join is split into its conjuncts, each pushed into the side
// whose columns it reads, and the ones reading both sides become the join's
// condition, where equalities turn into hash-join keys. Without this a
// many-table comma join would build the whole cross product before filtering.

enum FilterPushdown {
    static func optimize(_ plan: LogicalPlan) -> LogicalPlan {
        switch plan {
        case .filter(let input, let predicate):
            if let reordered = JoinOrder.reorder(input, conjuncts: JoinKeys.conjuncts(predicate), optimizeLeaf: optimize, push: push) {
                return reordered
            }
            return push(JoinKeys.conjuncts(predicate), into: optimize(input))
        case .join(let left, let right, let kind, let condition):
            if kind == .inner || kind == .cross,
               let reordered = JoinOrder.reorder(plan, conjuncts: [], optimizeLeaf: optimize, push: push) {
                return reordered
            }
            // Each side is optimized once (twice would be exponential in the join count).
            let (newLeft, newRight) = (optimize(left), optimize(right))
            guard (kind == .inner || kind == .cross), let condition else { return .join(newLeft, newRight, kind, condition: condition) }
            // Inner join conditions are filters too: push their one-sided parts down.
            return push(JoinKeys.conjuncts(condition), into: .join(newLeft, newRight, .inner, condition: nil))
        case .scan, .inline, .values, .series: return plan
        case .project(let input, let exprs): return .project(optimize(input), exprs)
        case .aggregate(let input, let groups, let aggregates):
            return .aggregate(optimize(input), groups: groups, aggregates: aggregates)
        case .sort(let input, let keys): return .sort(optimize(input), keys)
        case .limit(let input, let limit, let offset): return .limit(optimize(input), limit: limit, offset: offset)
        case .distinct(let input): return .distinct(optimize(input))
        case .setOperation(let op, let all, let left, let right): return .setOperation(op, all: all, optimize(left), optimize(right))
        case .recursiveCTE(let id, let anchor, let step, let all):
            return .recursiveCTE(id: id, anchor: optimize(anchor), step: optimize(step), all: all)
        case .workingTable: return plan
        case .cte(let reference): return reference.uses > 1 ? plan : optimize(reference.plan)
        case .window(let input, let windows): return .window(optimize(input), windows)
        case .asofJoin(var join):
            join.left = optimize(join.left)
            join.right = optimize(join.right)
            return .asofJoin(join)
        }
    }

    /// Applies `conjuncts` on top of an already optimized plan, pushing each as
    /// deep as it may go.
    private static func push(_ conjuncts: [BoundExpr], into plan: LogicalPlan) -> LogicalPlan {
        guard !conjuncts.isEmpty else { return plan }
        switch plan {
        case .filter(let input, let existing):
            return push(conjuncts + JoinKeys.conjuncts(existing), into: input)
        case .join(let left, let right, let kind, let condition) where kind == .inner || kind == .cross || kind == .left:
            let width = left.types.count
            var leftOnly: [BoundExpr] = [], rightOnly: [BoundExpr] = [], both: [BoundExpr] = [], above: [BoundExpr] = []
            for conjunct in conjuncts {
                let columns = conjunct.referencedColumns
                if columns.isEmpty {
                    above.append(conjunct)
                } else if columns.allSatisfy({ $0 < width }) {
                    leftOnly.append(conjunct)
                } else if columns.allSatisfy({ $0 >= width }) && kind != .left {
                    rightOnly.append(conjunct.shiftingColumns(by: -width))
                } else if kind != .left {
                    both.append(conjunct)
                } else {
                    above.append(conjunct)
                }
            }
            let newLeft = push(leftOnly, into: left)
            let newRight = push(rightOnly, into: right)
            var newCondition = condition
            for conjunct in both { newCondition = newCondition.map { .and($0, conjunct) } ?? conjunct }
            let newKind: JoinKind = kind == .cross && newCondition != nil ? .inner : kind
            return wrap(.join(newLeft, newRight, newKind, condition: newCondition), above)
        default:
            return wrap(plan, conjuncts)
        }
    }

    private static func wrap(_ plan: LogicalPlan, _ conjuncts: [BoundExpr]) -> LogicalPlan {
        guard var predicate = conjuncts.first else { return plan }
        for conjunct in conjuncts.dropFirst() { predicate = .and(predicate, conjunct) }
        return .filter(plan, predicate)
    }
}
